import type { EventEnvelope, OrderStatus } from "@edge-shop/contracts";
import { type EventOutcome, inbox, log, recordOrder } from "@edge-shop/worker-kit";
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { orders } from "../db/schema";
import { SERVICE } from "./events";
import { markPaidPlan, type Plan, rememberFor, runTogether } from "./mark-paid";
import { releaseStock } from "./transitions";
import { userDeletedPlan } from "./user-deleted";

/** An event's outcome, and the order whose stock goes back once the batch has committed (a refunded order). */
interface Applied {
  outcome: EventOutcome;
  release?: string;
}

const unknownOrder = (event: EventEnvelope, orderId: string): Applied => ({
  // A payment event for an order we do not know is a bug upstream: retry, then the DLQ keeps it for a human.
  outcome: { ok: false, error: new Error(`${event.type} for unknown order ${orderId}`) },
});

/**
 * `payment.refunded`. Most refunds change nothing here: a cancelled paid order is `refunded` before payments
 * refunds it, and payments' own refunds of a charge that came too late concern an order paid by another payment
 * or cancelled. What is left is a refund made at the provider (its dashboard, a dispute) of the payment that paid
 * the order: `paid` → `refunded` and its stock goes back, as when a paid order is cancelled. No order event:
 * payments' `payment.refunded` already tells the customer the refund was issued. A shipped or delivered order
 * keeps its status (DESIGN's machine has no way back from there): logged for a human.
 */
function refundedPlan(db: Db, event: EventEnvelope<"payment.refunded">): Plan<Applied> {
  const { orderId, paymentId } = event.data;
  const now = Date.now();
  const update = db
    .update(orders)
    .set({ status: "refunded", transitionId: event.id, updatedAt: now })
    .where(and(eq(orders.id, orderId), eq(orders.status, "paid"), eq(orders.paymentId, paymentId)))
    .returning({ total: orders.total, currency: orders.currency });
  const remember = rememberFor(db, event, orderId, now);
  const current = db
    .select({ status: orders.status, paymentId: orders.paymentId })
    .from(orders)
    .where(eq(orders.id, orderId));
  return {
    statements: [update, remember, current],
    read(results) {
      const [won] = results[0] as { total: number; currency: string }[];
      const firstTime = (results[1] as unknown[]).length > 0;
      const [row] = results[2] as { status: OrderStatus; paymentId: string | null }[];
      if (!row) return unknownOrder(event, orderId);
      if (won) {
        recordOrder("refunded", { amount: won.total, currency: won.currency });
        log("info", "order refunded at the provider", { service: SERVICE, orderId, paymentId });
        return { outcome: { ok: true }, release: orderId };
      }
      if (
        firstTime &&
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

/** What applying a payment event does, as a plan: its outcome (an error to retry the event's message). */
function paymentEventPlan(db: Db, event: EventEnvelope): Plan<Applied> {
  switch (event.type) {
    case "payment.succeeded": {
      const plan = markPaidPlan(db, event.data.orderId, event.data.paymentId, event);
      return {
        statements: plan.statements,
        read: (results) =>
          plan.read(results) === null ? unknownOrder(event, event.data.orderId) : { outcome: { ok: true } },
      };
    }
    case "payment.refunded": {
      const refunded = event as EventEnvelope<"payment.refunded">;
      // A partial refund at the provider leaves the order as it is (its refunded total comes with returns).
      return refunded.data.partial ? recordedOnly(db, event) : refundedPlan(db, refunded);
    }
    case "user.deleted":
      return userDeletedPlan(db, event as EventEnvelope<"user.deleted">);
    default:
      return recordedOnly(db, event);
  }
}

/**
 * payment.failed: the order stays pending for another attempt (or expiry), only the delivery is recorded.
 * Other events are not ours to act on; recording them makes a redelivery cheap.
 */
function recordedOnly(db: Db, event: EventEnvelope): Plan<Applied> {
  const remember = db
    .insert(inbox)
    .values({ eventId: event.id, type: event.type, processedAt: Date.now() })
    .onConflictDoNothing()
    .returning({ eventId: inbox.eventId });
  return {
    statements: [remember],
    read(results) {
      const firstTime = (results[0] as unknown[]).length > 0;
      if (firstTime && event.type === "payment.failed") {
        log("info", "payment failed; order stays pending", {
          service: SERVICE,
          orderId: event.data.orderId,
          reason: event.data.reason,
        });
      }
      return { outcome: { ok: true } };
    },
  };
}

/**
 * The `orders-queue` consumer (payment events, and `user.deleted`): applies each event once (inbox, in the same batch as its effect). A queue
 * batch's events go to D1 in ONE batch (statements run in order in one transaction, so two copies or two
 * payments of one order see each other as they would one by one); an event that fails (an unknown order) is
 * retried on its own. A `payment.succeeded` comes here only when payments' synchronous `markPaid` did not get
 * an answer (or after a crash, from its outbox sweep): then it is what makes the order paid. The stock of an
 * order refunded at the provider goes back after the batch (a failure is left to the scheduled sweep).
 */
export async function applyPaymentEvents(
  env: Env,
  db: Db,
  events: EventEnvelope[],
): Promise<Map<string, EventOutcome>> {
  const applied = await runTogether(
    db,
    events.map((event) => paymentEventPlan(db, event)),
  );
  for (const { release } of applied) if (release) await releaseStock(env, db, release);
  return new Map(events.map((event, i) => [event.id, applied[i]?.outcome ?? { ok: true }]));
}

/** One payment event on its own (the fallback when a batch of them fails): throws what must be retried. */
export async function handlePaymentEvent(env: Env, db: Db, event: EventEnvelope): Promise<void> {
  const outcome = (await applyPaymentEvents(env, db, [event])).get(event.id);
  if (outcome && !outcome.ok) throw outcome.error;
}
