import type { EventEnvelope, OrderStatus } from "@edge-shop/contracts";
import { type EventOutcome, errorFields, log, recordOrder } from "@edge-shop/worker-kit";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { orders } from "../db/schema";
import { SERVICE } from "./events";
import { type Plan, rememberFor } from "./mark-paid";

/** An event's outcome, and the order whose stock goes back once the batch has committed (a refunded order). */
export interface Applied {
  outcome: EventOutcome;
  release?: string;
}

export const unknownOrder = (event: EventEnvelope, orderId: string): Applied => ({
  // A payment event for an order we do not know is a bug upstream: retry, then the DLQ keeps it for a human.
  outcome: { ok: false, error: new Error(`${event.type} for unknown order ${orderId}`) },
});

/**
 * `payment.refunded` of the payment that paid the order. Its refunded total becomes the order's `refundedTotal`
 * (the payment's own record of what it gave back, so it never exceeds what was captured). All of it refunded:
 * the order becomes `refunded`. A refund made through `POST /api/orders/:id/refunds` (`refundId`) may end a
 * paid, shipped or delivered order and restocks only the lines it names (see `restockReturned`), so the rest of
 * the reservation is marked settled. A full refund made at the provider ends only a `paid` order, whose stock
 * then goes back as when a paid order is cancelled; a shipped or delivered one keeps its status (logged for a
 * human). A cancelled paid order is `refunded` before payments refunds it: only its total is recorded.
 */
export function refundedPlan(db: Db, event: EventEnvelope<"payment.refunded">): Plan<Applied> {
  const { orderId, paymentId, amountRefunded, partial, refundId } = event.data;
  const now = Date.now();
  const ours = and(eq(orders.id, orderId), eq(orders.paymentId, paymentId));
  const refunded = amountRefunded ?? (partial ? event.data.amount : null);
  const total = db
    .update(orders)
    .set({
      refundedTotal: sql`max(${orders.refundedTotal}, coalesce(${refunded}, ${orders.total}))`,
      updatedAt: now,
    })
    .where(ours);
  const from: OrderStatus[] = refundId ? ["paid", "shipped", "delivered"] : ["paid"];
  const update = db
    .update(orders)
    .set({
      status: "refunded",
      transitionId: event.id,
      updatedAt: now,
      ...(refundId ? { stockReleasedAt: now } : {}),
    })
    .where(and(ours, partial ? sql`0` : inArray(orders.status, from)))
    .returning({ total: orders.total, currency: orders.currency });
  const remember = rememberFor(db, event, orderId, now);
  const current = db
    .select({ status: orders.status, paymentId: orders.paymentId })
    .from(orders)
    .where(eq(orders.id, orderId));
  return {
    statements: [total, update, remember, current],
    read(results) {
      const [won] = results[1] as { total: number; currency: string }[];
      const firstTime = (results[2] as unknown[]).length > 0;
      const [row] = results[3] as { status: OrderStatus; paymentId: string | null }[];
      if (!row) return unknownOrder(event, orderId);
      if (won) {
        recordOrder("refunded", { amount: won.total, currency: won.currency });
        log("info", "order refunded", { service: SERVICE, orderId, paymentId, refundId });
        return { outcome: { ok: true }, ...(refundId ? {} : { release: orderId }) };
      }
      if (
        firstTime &&
        !partial &&
        !refundId &&
        row.paymentId === paymentId &&
        (row.status === "shipped" || row.status === "delivered")
      ) {
        log("warn", "payment refunded at the provider after the order shipped; the order keeps its status", {
          service: SERVICE,
          orderId,
          paymentId,
          status: row.status,
        });
      }
      return { outcome: { ok: true } };
    },
  };
}

/**
 * The returned units of a refund that restocks go back to products before the event is recorded (once per
 * refund id there, so a redelivery restocks nothing twice); an error to retry the event when products fails.
 */
export async function restockReturned(env: Env, event: EventEnvelope): Promise<Error | undefined> {
  if (event.type !== "payment.refunded") return undefined;
  const { orderId, refundId, items, restock } = (event as EventEnvelope<"payment.refunded">).data;
  if (!restock || !refundId || !items?.length) return undefined;
  try {
    await env.PRODUCTS.returnStock(orderId, refundId, items, event.correlationId);
    return undefined;
  } catch (error) {
    log("warn", "restock of a return failed; the event is retried", {
      service: SERVICE,
      orderId,
      ...errorFields(error),
    });
    return error instanceof Error ? error : new Error(String(error));
  }
}
