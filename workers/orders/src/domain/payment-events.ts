import type { EventEnvelope } from "@edge-shop/contracts";
import { type EventOutcome, inbox, log } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { SERVICE } from "./events";
import { markPaidPlan, type Plan, runTogether } from "./mark-paid";
import { type Applied, refundedPlan, restockReturned, unknownOrder } from "./refund-events";
import { releaseStock } from "./transitions";
import { userDeletedPlan } from "./user-deleted";

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
    case "payment.refunded":
      return refundedPlan(db, event as EventEnvelope<"payment.refunded">);
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
  // Returned units go back in stock first: an event whose restock failed is retried, not recorded.
  const restocks = await Promise.all(events.map((event) => restockReturned(env, event)));
  const ready = events.filter((_, i) => !restocks[i]);
  const applied = await runTogether(
    db,
    ready.map((event) => paymentEventPlan(db, event)),
  );
  for (const { release } of applied) if (release) await releaseStock(env, db, release);
  const outcomes = new Map<string, EventOutcome>(
    ready.map((event, i) => [event.id, applied[i]?.outcome ?? { ok: true }]),
  );
  events.forEach((event, i) => {
    const error = restocks[i];
    if (error) outcomes.set(event.id, { ok: false, error });
  });
  return outcomes;
}

/** One payment event on its own (the fallback when a batch of them fails): throws what must be retried. */
export async function handlePaymentEvent(env: Env, db: Db, event: EventEnvelope): Promise<void> {
  const outcome = (await applyPaymentEvents(env, db, [event])).get(event.id);
  if (outcome && !outcome.ok) throw outcome.error;
}
