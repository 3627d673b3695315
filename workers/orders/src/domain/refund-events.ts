import type { EventEnvelope } from "@edge-shop/contracts";
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
 * a paid, shipped or delivered order becomes `refunded`. Stock: a refund made through
 * `POST /api/orders/:id/refunds` (`refundId`) restocks only the lines it names (see `restockReturned`); one made
 * at the provider gives a `paid` order's stock back, as a cancellation, but not a shipped or delivered one's (the
 * goods are with the customer). Either way the rest of the reservation is then settled, never released by the
 * sweep. A cancelled paid order is `refunded` before payments refunds it: only its total is recorded. Nothing
 * changes for another payment of the order (a late duplicate charge).
 */
export function refundedPlan(db: Db, event: EventEnvelope<"payment.refunded">): Plan<Applied> {
  const { orderId, paymentId, amountRefunded, partial, refundId } = event.data;
  const now = Date.now();
  const ours = and(eq(orders.id, orderId), eq(orders.paymentId, paymentId));
  const reaches = sql`coalesce(${amountRefunded ?? (partial ? event.data.amount : null)}, ${orders.total})`;
  const total = db
    .update(orders)
    .set({ refundedTotal: reaches, updatedAt: now })
    .where(and(ours, sql`${orders.refundedTotal} < ${reaches}`));
  // SET reads the row as it was: only a paid order refunded at the provider keeps its stock to release.
  const released = refundId
    ? sql`${now}`
    : sql`case when ${orders.status} = 'paid' then ${orders.stockReleasedAt} else ${now} end`;
  const update = db
    .update(orders)
    .set({ status: "refunded", transitionId: event.id, updatedAt: now, stockReleasedAt: released })
    .where(and(ours, partial ? sql`0` : inArray(orders.status, ["paid", "shipped", "delivered"])))
    .returning({ total: orders.total, currency: orders.currency, stockReleasedAt: orders.stockReleasedAt });
  const remember = rememberFor(db, event, orderId, now);
  const current = db.select({ one: sql`1` }).from(orders).where(eq(orders.id, orderId));
  return {
    statements: [total, update, remember, current],
    read(results) {
      const [won] = results[1] as { total: number; currency: string; stockReleasedAt: number | null }[];
      if ((results[3] as unknown[]).length === 0) return unknownOrder(event, orderId);
      if (!won) return { outcome: { ok: true } };
      recordOrder("refunded", { amount: won.total, currency: won.currency });
      log("info", "order refunded", { service: SERVICE, orderId, paymentId, refundId });
      return { outcome: { ok: true }, ...(won.stockReleasedAt === null ? { release: orderId } : {}) };
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
