import { AppError, errors } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import {
  insertPromotion,
  listPromotions,
  type PromotionRow,
  promotionWithUses,
  updatePromotion,
} from "../db/queries/promotions";
import { invalidPromotion, normaliseCode, orderRefusal, termsRefusal, usesRefusal } from "./promotions";
import { discountOf } from "./totals";

/** A promotion's terms as the admin API takes them (times as ISO strings; null clears an optional term). */
export interface PromotionTerms {
  type: "percentage" | "fixed";
  value: number;
  currency?: string | null | undefined;
  minSubtotal?: number | undefined;
  startsAt?: string | null | undefined;
  endsAt?: string | null | undefined;
  usageLimit?: number | null | undefined;
  perCustomerLimit?: number | null | undefined;
  active?: boolean | undefined;
}

/** The admin view of a promotion, with its current number of uses. */
export function toPromotion(row: PromotionRow, timesUsed: number) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    code: row.code,
    type: row.type,
    value: row.value,
    currency: row.currency,
    minSubtotal: row.minSubtotal,
    startsAt: iso(row.startsAt),
    endsAt: iso(row.endsAt),
    usageLimit: row.usageLimit,
    perCustomerLimit: row.perCustomerLimit,
    active: row.active,
    timesUsed,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

const invalid = (path: string, message: string) => errors.validation([{ path, message }]);

/** The row for `terms` on top of `base`, checked as a whole. */
function merged(base: PromotionRow, terms: Partial<PromotionTerms>, now: number): PromotionRow {
  const time = (value: string | null | undefined, current: number | null) =>
    value === undefined ? current : value === null ? null : Date.parse(value);
  const pick = <T>(value: T | undefined, current: T) => (value === undefined ? current : value);
  const row: PromotionRow = {
    ...base,
    type: pick(terms.type, base.type),
    value: pick(terms.value, base.value),
    currency: terms.currency === undefined ? base.currency : (terms.currency?.toUpperCase() ?? null),
    minSubtotal: pick(terms.minSubtotal, base.minSubtotal),
    startsAt: time(terms.startsAt, base.startsAt),
    endsAt: time(terms.endsAt, base.endsAt),
    usageLimit: pick(terms.usageLimit, base.usageLimit),
    perCustomerLimit: pick(terms.perCustomerLimit, base.perCustomerLimit),
    active: pick(terms.active, base.active),
    // Strictly later than before: an order priced on the old terms must see the change (redeemPromotion).
    updatedAt: Math.max(now, base.updatedAt + 1),
  };
  if (row.type === "percentage" && row.value > 100) throw invalid("value", "A percentage is at most 100");
  if (row.type === "fixed" && row.currency === null)
    throw invalid("currency", "A fixed amount needs its currency");
  if (row.startsAt !== null && row.endsAt !== null && row.endsAt <= row.startsAt)
    throw invalid("endsAt", "Must be after startsAt");
  return row;
}

/** `POST /api/admin/promotions`: 409 `promotion_exists` when the code (any case) is taken. */
export async function createPromotion(db: Db, code: string, terms: PromotionTerms, now = Date.now()) {
  const blank: PromotionRow = {
    code: normaliseCode(code),
    type: terms.type,
    value: terms.value,
    currency: null,
    minSubtotal: 0,
    startsAt: null,
    endsAt: null,
    usageLimit: null,
    perCustomerLimit: null,
    active: true,
    createdAt: now,
    updatedAt: now - 1,
  };
  const row = merged(blank, terms, now);
  if (!(await insertPromotion(db, row)))
    throw new AppError(409, "promotion_exists", `The code ${row.code} exists already`);
  return toPromotion(row, 0);
}

/** `PATCH /api/admin/promotions/:code`. */
export async function changePromotion(
  db: Db,
  code: string,
  terms: Partial<PromotionTerms>,
  now = Date.now(),
) {
  const found = await promotionWithUses(db, normaliseCode(code));
  if (!found) throw errors.notFound("Promotion");
  const updated = await updatePromotion(db, merged(found.promotion, terms, now));
  if (!updated) throw errors.notFound("Promotion");
  return toPromotion(updated, found.uses);
}

/** `GET /api/admin/promotions`. */
export async function promotionPage(db: Db, page: number, limit: number) {
  const { rows, total } = await listPromotions(db, page, limit);
  return { promotions: rows.map((r) => toPromotion(r.promotion, r.uses)), total };
}

/** `GET /api/promotions/:code`: the discount an order of `subtotal` would get now, or why not. */
export async function previewPromotion(
  db: Db,
  code: string,
  order: { subtotal: number; currency: string; userId?: string | undefined },
  now = Date.now(),
) {
  const found = await promotionWithUses(db, normaliseCode(code), order.userId);
  if (!found) throw errors.notFound("Promotion");
  const { promotion } = found;
  const refusal =
    termsRefusal(promotion, now) ??
    orderRefusal(promotion, order.subtotal, order.currency) ??
    usesRefusal(promotion, found.uses, found.customerUses);
  if (refusal) throw invalidPromotion(refusal);
  return {
    code: promotion.code,
    type: promotion.type,
    value: promotion.value,
    discount: discountOf(promotion, order.subtotal),
  };
}
