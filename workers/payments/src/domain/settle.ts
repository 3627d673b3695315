import type { OrderLine } from "@edge-shop/contracts";
import { errorFields, log, recordPayment } from "@edge-shop/worker-kit";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { setStatus } from "../db/queries/payments";
import type { PaymentRow, PaymentRowStatus } from "../db/schema";
import type { Bindings } from "../env";
import { providerFor } from "../provider";
import { commitAndPublish, outboxed } from "./events";

/** Where a payment comes from and what else must commit with it (a webhook id, an inbox row). */
export interface Transition {
  from: PaymentRowStatus[];
  correlationId: string;
  also?: BatchItem<"sqlite">[];
}

const moneyOf = (p: PaymentRow) => ({
  paymentId: p.id,
  orderId: p.orderId,
  userId: p.userId,
  amount: p.amount,
  currency: p.currency,
});

/**
 * Records a successful charge with its `payment.succeeded` event (to orders and notifications), then tells
 * orders synchronously so the client sees the order paid at once.
 */
export async function recordSuccess(
  env: Bindings,
  db: Db,
  payment: PaymentRow,
  items: OrderLine[],
  t: Transition,
): Promise<PaymentRow> {
  const { event, insert } = outboxed(
    db,
    "payment.succeeded",
    { ...moneyOf(payment), items },
    t.correlationId,
  );
  await commitAndPublish(
    db,
    env,
    [
      setStatus(db, payment.id, t.from, {
        status: "succeeded",
        failureReason: null,
        providerRef: payment.providerRef,
      }),
      insert,
      ...(t.also ?? []),
    ],
    [event],
  );
  recordPayment("succeeded", payment);
  return confirmWithOrders(
    env,
    db,
    { ...payment, status: "succeeded", failureReason: null },
    t.correlationId,
  );
}

/** Records a failed attempt with its `payment.failed` event; the order stays pending. */
export async function recordFailure(
  env: Bindings,
  db: Db,
  payment: PaymentRow,
  reason: string,
  t: Transition,
): Promise<PaymentRow> {
  const { event, insert } = outboxed(db, "payment.failed", { ...moneyOf(payment), reason }, t.correlationId);
  const change = { status: "failed" as const, failureReason: reason, providerRef: payment.providerRef };
  await commitAndPublish(
    db,
    env,
    [setStatus(db, payment.id, t.from, change), insert, ...(t.also ?? [])],
    [event],
  );
  recordPayment("failed", { ...payment, reason });
  return { ...payment, ...change };
}

/**
 * The synchronous fast path of the saga (the `payment.succeeded` event stays the reliable one): marks the
 * order paid. An order that expired meanwhile is cancelled and cannot take the money: it is refunded at once.
 * When orders cannot be reached, `order_confirmed_at` stays empty and the scheduled handler asks again.
 */
export async function confirmWithOrders(
  env: Bindings,
  db: Db,
  payment: PaymentRow,
  correlationId: string,
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
    return payment;
  }
  // Cancelled (expired) meanwhile, or settled by another payment (a late one): this charge must go back.
  const paidByOther = answer.paymentId != null && answer.paymentId !== payment.id;
  if (answer.status === "cancelled" || paidByOther) {
    log("warn", "order no longer payable when its payment landed; refunding", {
      paymentId: payment.id,
      orderStatus: answer.status,
      correlationId,
    });
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
  const orderConfirmedAt = Date.now();
  await setStatus(db, payment.id, ["succeeded"], { orderConfirmedAt });
  return { ...payment, orderConfirmedAt };
}

/**
 * Refunds a charge through the provider that made it (idempotent there per payment id), then records it
 * with a `payment.refunded` event for notifications. Throws when the provider did not refund.
 */
export async function refundPayment(
  env: Bindings,
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
export async function recordRefund(env: Bindings, db: Db, payment: PaymentRow, t: Transition) {
  const { event, insert } = outboxed(db, "payment.refunded", moneyOf(payment), t.correlationId);
  const change = {
    status: "refunded" as const,
    refundRef: payment.refundRef,
    providerRef: payment.providerRef,
  };
  await commitAndPublish(
    db,
    env,
    [setStatus(db, payment.id, t.from, change), insert, ...(t.also ?? [])],
    [event],
  );
  recordPayment("refunded", payment);
  return { ...payment, ...change };
}
