import { AppError, currentCorrelationId, log } from "@edge-shop/worker-kit";
import { z } from "@hono/zod-openapi";
import type { SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import {
  findByProviderRef,
  findPayment,
  isUniqueViolation,
  webhookInsert,
  webhookSeen,
} from "../db/queries/payments";
import { pendingRefunds } from "../db/queries/refunds";
import type { PaymentRow, PaymentRowStatus } from "../db/schema";
import { recordRefund, refundPayment } from "./refund";
import { type Receipt, recordFailure, recordRequiresAction, recordSuccess } from "./settle";
import type { Transition } from "./transition";

/** The event types that change a payment; any other type is acknowledged and ignored. */
export const HANDLED_WEBHOOK_TYPES = [
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.requires_action",
  "charge.refunded",
] as const;

export const WebhookEventSchema = z
  .object({
    id: z.string().min(1).max(255),
    type: z.string().min(1).max(100),
    data: z.object({ object: z.record(z.string(), z.unknown()) }),
  })
  .openapi("PaymentWebhookEvent");
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

const str = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
const record = (value: unknown) =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;

/** The payment an event is about: our id in the metadata, else the provider's PaymentIntent id. */
async function paymentOf(db: Db, event: WebhookEvent): Promise<PaymentRow | undefined> {
  const object = event.data.object;
  const ourId = str(record(object.metadata)?.payment_id);
  if (ourId) return findPayment(db, ourId);
  const intentId = event.type.startsWith("charge.") ? str(object.payment_intent) : str(object.id);
  return intentId ? findByProviderRef(db, intentId) : undefined;
}

/** The gateway's request id of the webhook call (so one id finds its effects everywhere), else the event id. */
const correlationOf = (event: WebhookEvent) => currentCorrelationId() ?? event.id;

/** Why the provider says a charge failed: its last error's decline code or code. */
function failureOf(object: Record<string, unknown>): string {
  const last = record(object.last_payment_error);
  if (last?.code === "payment_intent_authentication_failure") return "authentication_failed";
  return str(last?.decline_code) ?? str(last?.code) ?? "card_declined";
}

/** The lines and breakdown of the paid order, for the receipt (`payment.succeeded` carries them). */
async function receiptOf(env: Env, payment: PaymentRow, correlationId: string): Promise<Receipt> {
  const order = await env.ORDERS.getOrder(
    payment.orderId,
    { userId: payment.userId, role: "user" },
    correlationId,
  );
  return order ?? { items: [] };
}

/**
 * A charge the provider confirms after we recorded it failed (timeout, abandoned attempt): it becomes the
 * order's payment, or is refunded when the order already has one (the unique index says so).
 */
async function lateSuccess(env: Env, db: Db, charged: PaymentRow, t: Transition): Promise<boolean> {
  const receipt = await receiptOf(env, charged, t.correlationId);
  try {
    return (await recordSuccess(env, db, charged, receipt, t)).won;
  } catch (error) {
    if (!isUniqueViolation(error, "payments.order_id")) throw error;
    log("warn", "late charge for an order already paid; refunding", {
      paymentId: charged.id,
      correlationId: t.correlationId,
    });
    return (await refundPayment(env, db, charged, t)).won;
  }
}

const WAITING: PaymentRowStatus[] = ["processing", "requires_action"];

/**
 * Applies the event to the payment as it is now. False when another writer changed the payment first (then
 * nothing of this event committed: read and apply again); true when it is applied or has nothing to change.
 */
async function applyTo(env: Env, db: Db, event: WebhookEvent, payment: PaymentRow | undefined) {
  const object = event.data.object;
  const correlationId = correlationOf(event);
  const t = (from: PaymentRowStatus[]): Transition => ({
    from,
    correlationId,
    remember: (when: SQL) => webhookInsert(db, event.id, event.type, when),
  });
  const waiting = payment !== undefined && WAITING.includes(payment.status);
  const intent = payment && { ...payment, providerRef: str(object.id) ?? payment.providerRef };
  if (intent && event.type === "payment_intent.succeeded") {
    if (waiting) {
      return (await recordSuccess(env, db, intent, await receiptOf(env, intent, correlationId), t(WAITING)))
        .won;
    }
    if (intent.status === "failed") return lateSuccess(env, db, intent, t(["failed"]));
  }
  if (intent && waiting && event.type === "payment_intent.payment_failed") {
    return (await recordFailure(env, db, intent, failureOf(object), t(WAITING))).won;
  }
  if (intent?.status === "processing" && event.type === "payment_intent.requires_action") {
    const url = str(record(record(object.next_action)?.redirect_to_url)?.url);
    if (url) return (await recordRequiresAction(db, intent, url, t(["processing"]))).won;
  }
  if (payment?.status === "succeeded" && event.type === "charge.refunded") {
    // Stripe's charge says how much of it is refunded in all, partial refunds included. Our own refunds that are
    // still pending are in that figure already and record themselves when their call returns: not counted here.
    const reported =
      typeof object.amount_refunded === "number"
        ? object.amount_refunded
        : object.refunded === true
          ? payment.amount
          : 0;
    const total = reported - (await pendingRefunds(db, payment.id));
    if (total > payment.amountRefunded) {
      const refunds = record(object.refunds)?.data;
      const latest = Array.isArray(refunds) ? record(refunds[0]) : undefined;
      const refundRef = str(latest?.id) ?? payment.refundRef;
      return (await recordRefund(env, db, { ...payment, refundRef }, total, t(["succeeded"]))).won;
    }
  }
  if (!payment) log("info", "webhook without a payment to change", { eventId: event.id, type: event.type });
  await webhookInsert(db, event.id, event.type);
  return true;
}

/**
 * Applies a verified provider event once (its id is stored in the same batch as its effects, and only with
 * them). Returns whether it was a duplicate.
 */
export async function handleWebhook(env: Env, db: Db, event: WebhookEvent): Promise<{ duplicate: boolean }> {
  const handled = (HANDLED_WEBHOOK_TYPES as readonly string[]).includes(event.type);
  // A few tries: each one lost only to a concurrent change of the same payment, which is rare.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await webhookSeen(db, event.id)) return { duplicate: true };
    try {
      if (await applyTo(env, db, event, handled ? await paymentOf(db, event) : undefined)) {
        return { duplicate: false };
      }
    } catch (error) {
      // A concurrent delivery of the same event committed first.
      if (isUniqueViolation(error, "webhook_events.id") && (await webhookSeen(db, event.id)))
        return { duplicate: true };
      throw error;
    }
  }
  throw new AppError(409, "payment_in_progress", "The payment keeps changing; retry later", {
    headers: { "retry-after": "30" },
  });
}
