import { AppError } from "@edge-shop/worker-kit";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { type PromotionRow, promotionWithUses } from "../db/queries/promotions";
import { promotions } from "../db/schema";

/** Why a code does not apply (DESIGN's list, plus `not_found` and `currency`). */
export type PromotionRefusal =
  | "not_found"
  | "inactive"
  | "not_started"
  | "expired"
  | "currency"
  | "min_subtotal"
  | "usage_limit"
  | "customer_limit";

const DETAILS: Record<PromotionRefusal, string> = {
  not_found: "There is no such promotion code",
  inactive: "This promotion code is not active",
  not_started: "This promotion code is not valid yet",
  expired: "This promotion code has expired",
  currency: "This promotion code is for another currency",
  min_subtotal: "The order's subtotal is below this promotion code's minimum",
  usage_limit: "This promotion code has been used as often as it may be",
  customer_limit: "You have used this promotion code as often as you may",
};

/** 422 `invalid_promotion` naming its `reason`. */
export function invalidPromotion(reason: PromotionRefusal): AppError {
  return new AppError(422, "invalid_promotion", DETAILS[reason], {
    reason,
    errors: [{ path: "promotionCode", message: DETAILS[reason] }],
  });
}

/** Codes are case-insensitive: stored and compared upper case. */
export const normaliseCode = (code: string) => code.trim().toUpperCase();

/** The refusals that depend on the code's terms and the moment, not on its uses. */
export function termsRefusal(promotion: PromotionRow, now: number): PromotionRefusal | undefined {
  if (!promotion.active) return "inactive";
  if (promotion.startsAt !== null && now < promotion.startsAt) return "not_started";
  if (promotion.endsAt !== null && now >= promotion.endsAt) return "expired";
  return undefined;
}

/** The refusals that depend on the order's subtotal and currency. */
export function orderRefusal(
  promotion: PromotionRow,
  subtotal: number,
  currency: string,
): PromotionRefusal | undefined {
  if (promotion.currency !== null && promotion.currency !== currency) return "currency";
  if (subtotal < promotion.minSubtotal) return "min_subtotal";
  return undefined;
}

/** The refusals that depend on the uses (as counted by one read). */
export function usesRefusal(
  promotion: PromotionRow,
  uses: number,
  customerUses: number,
): PromotionRefusal | undefined {
  if (promotion.usageLimit !== null && uses >= promotion.usageLimit) return "usage_limit";
  if (promotion.perCustomerLimit !== null && customerUses >= promotion.perCustomerLimit)
    return "customer_limit";
  return undefined;
}

/** How long an isolate trusts a promotion's terms it read; the order's batch checks they are still the same. */
const TERMS_TTL_MS = 60_000;
const MAX_CACHED = 200;
const cache = new Map<string, { promotion: PromotionRow; until: number }>();

/**
 * A promotion's terms for an order, from this isolate's memory when read within the last minute: an order
 * with a code pays no read for it. Its redemption (in the order's batch) is refused if the promotion changed
 * since (`updatedAt`), and the order then reads it afresh (`freshPromotion`).
 */
export async function promotionForOrder(db: Db, code: string, now = Date.now()) {
  const hit = cache.get(code);
  if (hit && hit.until > now) return hit.promotion;
  const [row] = await db.select().from(promotions).where(eq(promotions.code, code));
  if (row) remember(row, now);
  return row;
}

function remember(promotion: PromotionRow, now: number): void {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(promotion.code, { promotion, until: now + TERMS_TTL_MS });
}

/** The promotion as it is now, with its uses (after a refused redemption): the cache is refreshed. */
export async function freshPromotion(db: Db, code: string, userId: string, now = Date.now()) {
  const found = await promotionWithUses(db, code, userId);
  if (found) remember(found.promotion, now);
  else cache.delete(code);
  return found;
}

/** The promotion an order names, checked on its terms before any stock is taken. */
export async function namedPromotion(db: Db, code: string | undefined, now: number) {
  if (code === undefined) return undefined;
  const promotion = await promotionForOrder(db, normaliseCode(code), now);
  if (!promotion) throw invalidPromotion("not_found");
  const refusal = termsRefusal(promotion, now);
  if (refusal) throw invalidPromotion(refusal);
  return promotion;
}

/** Why an order's batch refused its redemption, read afresh; `changed`: the code was edited meanwhile. */
export async function redemptionRefusal(
  db: Db,
  promotion: PromotionRow,
  userId: string,
  order: { total: number; currency: string },
  now: number,
): Promise<{ refusal: PromotionRefusal } | { changed: PromotionRow }> {
  const fresh = await freshPromotion(db, promotion.code, userId, now);
  if (!fresh) return { refusal: "not_found" };
  const refusal =
    termsRefusal(fresh.promotion, now) ??
    orderRefusal(fresh.promotion, order.total, order.currency) ??
    usesRefusal(fresh.promotion, fresh.uses, fresh.customerUses);
  if (refusal) return { refusal };
  // Room left, terms unchanged: the batch lost to nothing we can name; count it as the limit it raced for.
  if (fresh.promotion.updatedAt === promotion.updatedAt) return { refusal: "usage_limit" };
  return { changed: fresh.promotion };
}
