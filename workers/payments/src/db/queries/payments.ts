import type { Payment } from "@edge-shop/contracts";
import { and, asc, desc, eq, inArray, isNull, lt } from "drizzle-orm";
import type { Db } from "../client";
import { type PaymentRow, type PaymentRowStatus, payments, webhookEvents } from "../schema";

/** The response shape of a stored payment. */
export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    orderId: row.orderId,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    failureReason: row.failureReason,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** Whether a D1 error (possibly wrapped by drizzle) is a unique-key violation, optionally of `target` (`table.column`). */
export function isUniqueViolation(error: unknown, target = ""): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message.includes(`UNIQUE constraint failed: ${target}`)) return true;
  }
  return false;
}

/**
 * Inserts a `processing` attempt. The partial unique index lets only one attempt per order be processing or
 * succeeded, so of two concurrent payments one gets the live attempt it conflicts with instead.
 */
export async function claimAttempt(
  db: Db,
  row: PaymentRow,
): Promise<{ ok: true } | { ok: false; live: PaymentRow | undefined }> {
  try {
    await db.insert(payments).values(row);
    return { ok: true };
  } catch (error) {
    if (!isUniqueViolation(error, "payments.order_id")) throw error;
    const live = await db
      .select()
      .from(payments)
      .where(and(eq(payments.orderId, row.orderId), inArray(payments.status, ["processing", "succeeded"])))
      .limit(1);
    return { ok: false, live: live[0] };
  }
}

export async function findPayment(db: Db, id: string): Promise<PaymentRow | undefined> {
  const rows = await db.select().from(payments).where(eq(payments.id, id)).limit(1);
  return rows[0];
}

export async function findByProviderRef(db: Db, providerRef: string): Promise<PaymentRow | undefined> {
  const rows = await db.select().from(payments).where(eq(payments.providerRef, providerRef)).limit(1);
  return rows[0];
}

/** Every attempt for an order, oldest first. */
export function listForOrder(db: Db, orderId: string): Promise<PaymentRow[]> {
  return db
    .select()
    .from(payments)
    .where(eq(payments.orderId, orderId))
    .orderBy(asc(payments.createdAt), asc(payments.id));
}

/** A guarded status change for a `db.batch()`: it applies only while the payment is in one of `from`. */
export function setStatus(
  db: Db,
  id: string,
  from: PaymentRowStatus[],
  change: Partial<
    Pick<PaymentRow, "status" | "failureReason" | "providerRef" | "refundRef" | "orderConfirmedAt">
  >,
) {
  return db
    .update(payments)
    .set({ ...change, updatedAt: Date.now() })
    .where(and(eq(payments.id, id), inArray(payments.status, from)));
}

/** Attempts left `processing` since before `before` (the request died mid-charge). */
export function staleAttempts(db: Db, before: number, limit = 50): Promise<PaymentRow[]> {
  return db
    .select()
    .from(payments)
    .where(and(eq(payments.status, "processing"), lt(payments.updatedAt, before)))
    .limit(limit);
}

export async function webhookSeen(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(eq(webhookEvents.id, id))
    .limit(1);
  return rows.length > 0;
}

/** For the same batch as the webhook's effects: a concurrent duplicate then fails on the key. */
export function webhookInsert(db: Db, id: string, type: string) {
  return db.insert(webhookEvents).values({ id, type, receivedAt: Date.now() });
}

/** Succeeded payments orders has not confirmed yet (markPaid failed or the refund of a late one did). */
export function unconfirmedSuccesses(db: Db, before: number, limit = 50): Promise<PaymentRow[]> {
  return db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.status, "succeeded"),
        isNull(payments.orderConfirmedAt),
        lt(payments.updatedAt, before),
      ),
    )
    .limit(limit);
}

/** Every payment attempt of a user, newest first (the export of their data). */
export function allPaymentsOf(db: Db, userId: string): Promise<PaymentRow[]> {
  return db.select().from(payments).where(eq(payments.userId, userId)).orderBy(desc(payments.createdAt));
}
