import type { Payment } from "@edge-shop/contracts";
import { and, asc, desc, eq, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { LIVE_STATUSES, type PaymentRow, type PaymentRowStatus, payments, webhookEvents } from "../schema";

/** The response shape of a stored payment. */
export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    orderId: row.orderId,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    failureReason: row.failureReason,
    amountRefunded: row.amountRefunded,
    nextAction:
      row.status === "requires_action" && row.nextActionUrl
        ? { type: "redirect", url: row.nextActionUrl }
        : null,
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
      .where(and(eq(payments.orderId, row.orderId), inArray(payments.status, [...LIVE_STATUSES])))
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

/** The columns a transition may change. */
export type PaymentChange = Partial<
  Pick<
    PaymentRow,
    | "status"
    | "failureReason"
    | "providerRef"
    | "refundRef"
    | "orderConfirmedAt"
    | "amountRefunded"
    | "nextActionUrl"
  >
>;

/**
 * A guarded change for a `db.batch()`: it applies only while the payment is in one of `from` (and, with
 * `refundedWas`, while its refunded amount is still that), stamps `transitionId`, and returns the id when it won.
 */
export function transitionUpdate(
  db: Db,
  id: string,
  from: PaymentRowStatus[],
  change: PaymentChange,
  transitionId: string,
  refundedWas?: number,
) {
  return db
    .update(payments)
    .set({ ...change, transitionId, updatedAt: Date.now() })
    .where(
      and(
        eq(payments.id, id),
        inArray(payments.status, from),
        refundedWas === undefined ? undefined : eq(payments.amountRefunded, refundedWas),
      ),
    )
    .returning({ id: payments.id });
}

/** True, in a later statement of the same batch, only if the payment's last transition is `transitionId`. */
export function transitioned(id: string, transitionId: string): SQL {
  return sql`EXISTS (SELECT 1 FROM ${payments} WHERE ${payments.id} = ${id} AND ${payments.transitionId} = ${transitionId})`;
}

/** A guarded change with no announcement (a confirmation by orders), for a `db.batch()`. */
export function setStatus(db: Db, id: string, from: PaymentRowStatus[], change: PaymentChange) {
  return db
    .update(payments)
    .set({ ...change, updatedAt: Date.now() })
    .where(and(eq(payments.id, id), inArray(payments.status, from)));
}

/** Attempts still `processing` since before `before`: the outcome is unknown, or the request died. */
export function unsettledAttempts(db: Db, before: number, limit = 50): Promise<PaymentRow[]> {
  return db
    .select()
    .from(payments)
    .where(and(eq(payments.status, "processing"), lt(payments.updatedAt, before)))
    .limit(limit);
}

/** Authentications (3-D Secure) the customer started before `before` and never finished. */
export function abandonedAuthentications(db: Db, before: number, limit = 50): Promise<PaymentRow[]> {
  return db
    .select()
    .from(payments)
    .where(and(eq(payments.status, "requires_action"), lt(payments.updatedAt, before)))
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

/**
 * For the same batch as the webhook's effects: a concurrent duplicate then fails on the key. With `when`, the
 * id is recorded only while that condition holds (the change the event made won).
 */
export function webhookInsert(db: Db, id: string, type: string, when?: SQL) {
  if (!when) return db.insert(webhookEvents).values({ id, type, receivedAt: Date.now() });
  return db.insert(webhookEvents).select(sql`SELECT ${id}, ${type}, ${Date.now()} WHERE ${when}`);
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
