import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { orders, promotionRedemptions, promotions } from "../schema";

export type PromotionRow = typeof promotions.$inferSelect;

/** A subquery counting a code's unreleased redemptions (its uses), only the customer's when `userId` is given. */
function usesOf(code: string, userId?: string) {
  const where = and(
    eq(promotionRedemptions.code, code),
    userId === undefined ? undefined : eq(promotionRedemptions.userId, userId),
    isNull(promotionRedemptions.releasedAt),
  );
  return sql<number>`(select count(*) from ${promotionRedemptions} where ${where})`;
}

/** A promotion with its current number of uses (unreleased redemptions), and the given customer's: one read. */
export async function promotionWithUses(
  db: Db,
  code: string,
  userId?: string,
): Promise<{ promotion: PromotionRow; uses: number; customerUses: number } | undefined> {
  const customer = userId === undefined ? sql<number>`0` : usesOf(code, userId);
  const [row] = await db
    .select({ promotion: promotions, uses: usesOf(code), customerUses: customer })
    .from(promotions)
    .where(eq(promotions.code, code));
  return row;
}

/** A page of promotions, newest first, with their uses, and how many there are: one batch. */
export async function listPromotions(db: Db, page: number, limit: number) {
  const [rows, totals] = await db.batch([
    db
      .select({
        promotion: promotions,
        uses: sql<number>`(select count(*) from ${promotionRedemptions} r where r.code = ${promotions.code} and r.released_at is null)`,
      })
      .from(promotions)
      .orderBy(desc(promotions.createdAt), desc(promotions.code))
      .limit(limit)
      .offset((page - 1) * limit),
    db.select({ n: count() }).from(promotions),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

/** Inserts a new promotion; false when the code exists. */
export async function insertPromotion(db: Db, row: PromotionRow): Promise<boolean> {
  const inserted = await db
    .insert(promotions)
    .values(row)
    .onConflictDoNothing()
    .returning({ code: promotions.code });
  return inserted.length > 0;
}

/** Replaces a promotion's terms (the caller merged the change); undefined when there is no such code. */
export async function updatePromotion(db: Db, row: PromotionRow): Promise<PromotionRow | undefined> {
  const { code, createdAt: _created, ...rest } = row;
  const [updated] = await db.update(promotions).set(rest).where(eq(promotions.code, code)).returning();
  return updated;
}

/**
 * The redemption of `code` by a new order, for the order's own batch. Its `code` is read back from the promotion
 * only while the promotion is as the order priced it (`updatedAt`) and both limits leave room; otherwise it is
 * NULL, the NOT NULL constraint fails and the whole batch rolls back (`isRedemptionRefusal`). D1 runs a batch as
 * one transaction, one at a time, so N allowed uses make exactly N orders, however many run at once.
 */
export function redeemPromotion(
  db: Db,
  r: { orderId: string; code: string; userId: string; updatedAt: number; now: number },
) {
  const codeIfRoom = sql<string>`(select ${promotions.code} from ${promotions}
    where ${promotions.code} = ${r.code} and ${promotions.updatedAt} = ${r.updatedAt}
    and (${promotions.usageLimit} is null or ${usesOf(r.code)} < ${promotions.usageLimit})
    and (${promotions.perCustomerLimit} is null or ${usesOf(r.code, r.userId)} < ${promotions.perCustomerLimit}))`;
  return db.insert(promotionRedemptions).values({
    orderId: r.orderId,
    code: codeIfRoom,
    userId: r.userId,
    createdAt: r.now,
    releasedAt: null,
  });
}

/** Whether a failed creating batch is a redemption's refusal (see `redeemPromotion`). */
export function isRedemptionRefusal(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/NOT NULL constraint failed: promotion_redemptions\.code/i.test(e.message)) return true;
  }
  return false;
}

/**
 * Gives an order's redemption back, once: only if the transition that just ran in the same batch (`transitionId`)
 * won, and only while it is not released yet.
 */
export function releaseRedemption(db: Db, orderId: string, transitionId: string, now: number) {
  return db
    .update(promotionRedemptions)
    .set({ releasedAt: now })
    .where(
      and(
        eq(promotionRedemptions.orderId, orderId),
        isNull(promotionRedemptions.releasedAt),
        sql`exists (select 1 from ${orders} where ${orders.id} = ${orderId} and ${orders.transitionId} = ${transitionId})`,
      ),
    );
}
