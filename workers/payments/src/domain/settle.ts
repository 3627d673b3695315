import { type OrderBreakdown, type OrderLine, Queues } from "@edge-shop/contracts";
import {
  bothOutcomes,
  deliveredOtherwise,
  errorFields,
  log,
  type OutboxedEvent,
  outboxSentUpdate,
  publishCommitted,
  recordPayment,
  type SendOutcome,
  sendCommitted,
} from "@edge-shop/worker-kit";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { setStatus } from "../db/queries/payments";
import type { PaymentRow } from "../db/schema";
import { destinations, moneyOf, outboxed } from "./events";
import { refundPayment } from "./refund";
import { applyChange, asItIs, runBatch, type Settled, type Transition } from "./transition";

/** An outboxed event split in two: the copy for orders' queue, and the others to send at once. */
function ordersCopyApart(published: OutboxedEvent) {
  const { event, destinations: to } = published;
  return {
    toOrders: { event, destinations: to.filter((d) => d === Queues.orders) },
    others: { event, destinations: to.filter((d) => d !== Queues.orders) },
  };
}

/** What the receipt of a paid order shows: its lines and, when orders gave it, its breakdown. */
export interface Receipt {
  items: OrderLine[];
  breakdown?: OrderBreakdown;
}

/**
 * Records a successful charge with its `payment.succeeded` event (rows for orders and notifications), sends
 * it to notifications, then tells orders synchronously so the client sees the order paid at once
 * (`confirmWithOrders` sends orders' copy only if that call fails, and records the sends with the confirmation).
 */
export async function recordSuccess(
  env: Env,
  db: Db,
  payment: PaymentRow,
  receipt: Receipt,
  t: Transition,
): Promise<Settled> {
  const { items, breakdown } = receipt;
  const published = outboxed(
    "payment.succeeded",
    { ...moneyOf(payment), items, ...(breakdown ? { breakdown } : {}) },
    t.correlationId,
  );
  const change = {
    status: "succeeded" as const,
    failureReason: null,
    providerRef: payment.providerRef,
    nextActionUrl: null,
  };
  // The answer is stored once orders has answered (with the confirmation), not with the change.
  const won = await applyChange(db, payment, t, change, { event: published, answer: false });
  if (!won) return asItIs(db, payment, t);
  const { toOrders, others } = ordersCopyApart(published);
  const sent = await sendCommitted(destinations(env), [others]);
  recordPayment("succeeded", payment);
  const confirmed = await confirmWithOrders(env, db, won, t.correlationId, {
    sent,
    toOrders,
    ...(t.answer ? { answer: t.answer } : {}),
  });
  return { won: true, payment: confirmed };
}

/** Records a failed attempt with its `payment.failed` event (and the request's answer); the order stays pending. */
export async function recordFailure(
  env: Env,
  db: Db,
  payment: PaymentRow,
  reason: string,
  t: Transition,
): Promise<Settled> {
  const published = outboxed("payment.failed", { ...moneyOf(payment), reason }, t.correlationId);
  const change = {
    status: "failed" as const,
    failureReason: reason,
    providerRef: payment.providerRef,
    nextActionUrl: null,
  };
  const won = await applyChange(db, payment, t, change, { event: published });
  if (!won) return asItIs(db, payment, t);
  await publishCommitted(db, destinations(env), [published]);
  recordPayment("failed", { ...payment, reason });
  return { won: true, payment: won };
}

/** The card must be authenticated (3-D Secure) at `url`: the payment waits, holding the order, with no event. */
export async function recordRequiresAction(
  db: Db,
  payment: PaymentRow,
  url: string,
  t: Transition,
): Promise<Settled> {
  const change = { status: "requires_action" as const, providerRef: payment.providerRef, nextActionUrl: url };
  const won = await applyChange(db, payment, t, change);
  return won ? { won: true, payment: won } : asItIs(db, payment, t);
}

/**
 * The provider's outcome is not known yet: the attempt stays `processing` (holding the order, so it cannot be
 * paid twice) with what we know of it, until a webhook or the scheduled handler settles it.
 */
export async function recordUnknown(db: Db, payment: PaymentRow, t: Transition): Promise<Settled> {
  const won = await applyChange(db, payment, t, { providerRef: payment.providerRef });
  if (won) log("warn", "payment outcome unknown; settled later", { paymentId: payment.id });
  return won ? { won: true, payment: won } : asItIs(db, payment, t);
}

/** What a caller of `confirmWithOrders` still has to send and write: the record of its sends, its answer. */
interface Pending {
  sent?: SendOutcome;
  /** The event's committed, unsent copy for orders' queue: needed only if orders does not answer the call. */
  toOrders?: OutboxedEvent;
  answer?: (payment: PaymentRow) => BatchItem<"sqlite"> | undefined;
}

const NOTHING_SENT: SendOutcome = { sent: [], failed: [], eventIds: [] };

/**
 * The synchronous fast path of the saga: marks the order paid. An order that expired meanwhile is cancelled
 * and cannot take the money: it is refunded at once. When orders answers, the call delivered the
 * `payment.succeeded` event to it: the event's copy for orders' queue is recorded as delivered, not sent (it
 * would change nothing there). When orders cannot be reached, that copy is sent now (the reliable path, as a
 * crash before the record would leave it to the outbox sweep), `order_confirmed_at` stays empty and the
 * scheduled handler asks again. The record of the sends and the request's answer join the one write that
 * follows the answer.
 */
export async function confirmWithOrders(
  env: Env,
  db: Db,
  payment: PaymentRow,
  correlationId: string,
  pending: Pending = {},
): Promise<PaymentRow> {
  let answer: { status: string; paymentId?: string | null | undefined };
  try {
    answer = await env.ORDERS.markPaid(payment.orderId, payment.id, correlationId);
  } catch (error) {
    log("warn", "markPaid failed; the scheduled handler retries", {
      paymentId: payment.id,
      correlationId,
      ...errorFields(error),
    });
    let sent = pending.sent;
    if (pending.toOrders) {
      const queued = await sendCommitted(destinations(env), [pending.toOrders]);
      sent = bothOutcomes(sent ?? NOTHING_SENT, queued);
    }
    const sendsRecord = sent && outboxSentUpdate(db, sent);
    // A stored answer must commit or fail the request; the record of the sends alone may fail quietly.
    const stored = pending.answer?.(payment);
    if (stored) await runBatch(db, [sendsRecord, stored]);
    else await recordSends(db, sendsRecord, sent);
    return payment;
  }
  const sent = pending.toOrders
    ? bothOutcomes(pending.sent ?? NOTHING_SENT, deliveredOtherwise([pending.toOrders]))
    : pending.sent;
  const sendsRecord = sent && outboxSentUpdate(db, sent);
  // Cancelled (expired) meanwhile, or settled by another payment (a late one): this charge must go back.
  const paidByOther = answer.paymentId != null && answer.paymentId !== payment.id;
  if (answer.status === "cancelled" || paidByOther) {
    log("warn", "order no longer payable when its payment landed; refunding", {
      paymentId: payment.id,
      orderStatus: answer.status,
      correlationId,
    });
    await recordSends(db, sendsRecord, sent);
    try {
      return (await refundPayment(env, db, payment, { from: ["succeeded"], correlationId })).payment;
    } catch (error) {
      log("error", "refund failed; the scheduled handler retries", {
        paymentId: payment.id,
        correlationId,
        ...errorFields(error),
      });
      return payment;
    }
  }
  const confirmed = { ...payment, orderConfirmedAt: Date.now() };
  await runBatch(db, [
    setStatus(db, payment.id, ["succeeded"], { orderConfirmedAt: confirmed.orderConfirmedAt }),
    sendsRecord,
    pending.answer?.(confirmed),
  ]);
  return confirmed;
}

/** Records sends on their own; a failure is only logged (the sweep sends the rows again). */
async function recordSends(db: Db, record: BatchItem<"sqlite"> | undefined, sent: SendOutcome | undefined) {
  try {
    await runBatch(db, [record]);
  } catch (error) {
    log("warn", "outbox publish not recorded; the sweep sends it again", {
      eventIds: sent?.eventIds,
      ...errorFields(error),
    });
  }
}
