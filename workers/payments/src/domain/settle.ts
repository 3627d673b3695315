import { type OrderLine, Queues } from "@edge-shop/contracts";
import {
  bothOutcomes,
  deliveredOtherwise,
  errorFields,
  log,
  type OutboxedEvent,
  outboxSentUpdate,
  recordPayment,
  type SendOutcome,
  sendCommitted,
} from "@edge-shop/worker-kit";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { setStatus } from "../db/queries/payments";
import type { PaymentRow, PaymentRowStatus } from "../db/schema";
import { providerFor } from "../provider";
import { commitAndPublish, commitAndSend, destinations, outboxed } from "./events";

/** Where a payment comes from and what else must commit with it (a webhook id, an inbox row). */
export interface Transition {
  from: PaymentRowStatus[];
  correlationId: string;
  also?: BatchItem<"sqlite">[];
  /**
   * The statement that stores the request's answer (the Idempotency-Key's replay) for the payment as it ends
   * up, put in the batch that settles it; the caller then answers exactly that payment.
   */
  answer?: (payment: PaymentRow) => BatchItem<"sqlite"> | undefined;
}

const moneyOf = (p: PaymentRow) => ({
  paymentId: p.id,
  orderId: p.orderId,
  userId: p.userId,
  amount: p.amount,
  currency: p.currency,
});

const present = (items: (BatchItem<"sqlite"> | undefined)[]) =>
  items.filter((item): item is BatchItem<"sqlite"> => item !== undefined);

/** Runs the statements as one batch, if there are any. */
async function runBatch(db: Db, items: (BatchItem<"sqlite"> | undefined)[]): Promise<void> {
  const [first, ...rest] = present(items);
  if (first) await db.batch([first, ...rest]);
}

/** An outboxed event split in two: the copy for orders' queue, and the others to send at once. */
function ordersCopyApart(published: OutboxedEvent) {
  const { event, destinations: to } = published;
  return {
    toOrders: { event, destinations: to.filter((d) => d === Queues.orders) },
    others: { event, destinations: to.filter((d) => d !== Queues.orders) },
  };
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
  items: OrderLine[],
  t: Transition,
): Promise<PaymentRow> {
  const { insert, published } = outboxed(
    db,
    "payment.succeeded",
    { ...moneyOf(payment), items },
    t.correlationId,
  );
  const change = { status: "succeeded" as const, failureReason: null, providerRef: payment.providerRef };
  const { toOrders, others } = ordersCopyApart(published);
  const sent = await commitAndSend(
    db,
    env,
    [setStatus(db, payment.id, t.from, change), insert, ...(t.also ?? [])],
    [others],
  );
  recordPayment("succeeded", payment);
  return confirmWithOrders(env, db, { ...payment, ...change }, t.correlationId, {
    sent,
    toOrders,
    ...(t.answer ? { answer: t.answer } : {}),
  });
}

/** Records a failed attempt with its `payment.failed` event (and the request's answer); the order stays pending. */
export async function recordFailure(
  env: Env,
  db: Db,
  payment: PaymentRow,
  reason: string,
  t: Transition,
): Promise<PaymentRow> {
  const { insert, published } = outboxed(
    db,
    "payment.failed",
    { ...moneyOf(payment), reason },
    t.correlationId,
  );
  const change = { status: "failed" as const, failureReason: reason, providerRef: payment.providerRef };
  const failed = { ...payment, ...change };
  await commitAndPublish(
    db,
    env,
    [setStatus(db, payment.id, t.from, change), insert, ...(t.also ?? []), ...present([t.answer?.(failed)])],
    [published],
  );
  recordPayment("failed", { ...payment, reason });
  return failed;
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
      return await refundPayment(env, db, payment, { from: ["succeeded"], correlationId });
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

/**
 * Refunds a charge through the provider that made it (idempotent there per payment id), then records it
 * with a `payment.refunded` event for notifications. Throws when the provider did not refund.
 */
export async function refundPayment(
  env: Env,
  db: Db,
  payment: PaymentRow,
  t: Transition,
): Promise<PaymentRow> {
  const provider = providerFor(env, payment.provider);
  const { refundRef } = await provider.refund({
    paymentId: payment.id,
    providerRef: payment.providerRef,
    amount: payment.amount,
    currency: payment.currency,
    idempotencyKey: `refund-${payment.id}`,
  });
  return recordRefund(env, db, { ...payment, refundRef }, t);
}

/** Records a refund that already happened at the provider. */
export async function recordRefund(env: Env, db: Db, payment: PaymentRow, t: Transition) {
  const { insert, published } = outboxed(db, "payment.refunded", moneyOf(payment), t.correlationId);
  const change = {
    status: "refunded" as const,
    refundRef: payment.refundRef,
    providerRef: payment.providerRef,
  };
  await commitAndPublish(
    db,
    env,
    [setStatus(db, payment.id, t.from, change), insert, ...(t.also ?? [])],
    [published],
  );
  recordPayment("refunded", payment);
  return { ...payment, ...change };
}
