import type { EventEnvelope, OrderStatus } from "@edge-shop/contracts";
import { inbox, log, recordOrder } from "@edge-shop/worker-kit";
import { and, eq, exists, notExists, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { orders } from "../db/schema";
import { SERVICE } from "./events";

export type PaidResult = { status: OrderStatus; paymentId: string | null } | null;

const orderExists = (db: Db, orderId: string) =>
  exists(db.select({ one: sql`1` }).from(orders).where(eq(orders.id, orderId)));

/**
 * pending → paid for `paymentId`, in ONE batch: the guarded update (pending only, so a second call or a late
 * event changes nothing), then the order's status as it now is. An order that is no longer pending is left
 * alone: the answer tells payments what happened (e.g. `cancelled`: refund the charge; `paid` by another
 * payment id: refund this one). Null when the order does not exist.
 *
 * Given the consumed `event`, its inbox row joins the batch: inserted only if the order exists (an unknown
 * order is retried, then dead-lettered), and the update applies only if the event was not processed before.
 */
export async function markPaid(
  db: Db,
  orderId: string,
  paymentId: string,
  event?: EventEnvelope,
): Promise<PaidResult> {
  const now = Date.now();
  const pending = and(eq(orders.id, orderId), eq(orders.status, "pending"));
  const update = db
    .update(orders)
    .set({ status: "paid", paymentId, transitionId: event?.id ?? crypto.randomUUID(), updatedAt: now })
    .where(event ? and(pending, notExists(processed(db, event.id))) : pending)
    .returning({ total: orders.total, currency: orders.currency });
  const current = db
    .select({ status: orders.status, paymentId: orders.paymentId })
    .from(orders)
    .where(eq(orders.id, orderId));
  let won: { total: number; currency: string }[];
  let rows: { status: OrderStatus; paymentId: string | null }[];
  let firstTime = true;
  if (event) {
    const remember = db
      .insert(inbox)
      .select(sql`select ${event.id}, ${event.type}, ${now} where ${orderExists(db, orderId)}`)
      .onConflictDoNothing()
      .returning({ eventId: inbox.eventId });
    const [updated, inserted, found] = await db.batch([update, remember, current]);
    [won, rows, firstTime] = [updated, found, inserted.length > 0];
  } else {
    [won, rows] = await db.batch([update, current]);
  }
  const [row] = rows;
  if (!row) return null;
  const [paid] = won;
  if (paid) {
    recordOrder("paid", { amount: paid.total, currency: paid.currency });
    return { status: "paid", paymentId };
  }
  // A redelivered event changed nothing and says nothing new.
  if (firstTime && row.paymentId !== paymentId) {
    log("warn", "payment for an order that is no longer pending", {
      service: SERVICE,
      orderId,
      paymentId,
      status: row.status,
    });
  }
  return row;
}

const processed = (db: Db, eventId: string) =>
  db.select({ one: sql`1` }).from(inbox).where(eq(inbox.eventId, eventId));

/** Records a consumed event in the inbox (one write); false when it had been processed already. */
async function remember(db: Db, event: EventEnvelope): Promise<boolean> {
  const rows = await db
    .insert(inbox)
    .values({ eventId: event.id, type: event.type, processedAt: Date.now() })
    .onConflictDoNothing()
    .returning({ eventId: inbox.eventId });
  return rows.length > 0;
}

/**
 * The `payment-events` consumer: applies each event once (inbox, in the same batch as its effect); malformed
 * or failing ones are retried. Each event is one D1 call, also when it changes nothing (the usual case: the
 * payment's synchronous `markPaid` already made the order paid).
 */
export async function handlePaymentEvent(db: Db, event: EventEnvelope): Promise<void> {
  switch (event.type) {
    case "payment.succeeded": {
      const result = await markPaid(db, event.data.orderId, event.data.paymentId, event);
      // A payment for an order we do not know is a bug upstream: retry, then the DLQ keeps it for a human.
      if (result === null) throw new Error(`payment.succeeded for unknown order ${event.data.orderId}`);
      return;
    }
    case "payment.failed":
      // The order stays pending for another attempt (or expiry); only the delivery is recorded.
      if (await remember(db, event)) {
        log("info", "payment failed; order stays pending", {
          service: SERVICE,
          orderId: event.data.orderId,
          reason: event.data.reason,
        });
      }
      return;
    default:
      // Other events are not ours to act on; record them so a redelivery is cheap.
      await remember(db, event);
  }
}
