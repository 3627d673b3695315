import { AppError, currentCorrelationId, log } from "@edge-shop/worker-kit";
import { z } from "@hono/zod-openapi";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import {
  findByProviderRef,
  findPayment,
  isUniqueViolation,
  webhookInsert,
  webhookSeen,
} from "../db/queries/payments";
import type { PaymentRow } from "../db/schema";
import { recordRefund, recordSuccess, refundPayment } from "./settle";

/** The event types that change a payment; any other type is acknowledged and ignored. */
export const HANDLED_WEBHOOK_TYPES = [
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
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

/** The payment an event is about: our id in the metadata, else the provider's PaymentIntent id. */
async function paymentOf(db: Db, event: WebhookEvent): Promise<PaymentRow | undefined> {
  const object = event.data.object;
  const metadata = object.metadata as Record<string, unknown> | undefined;
  const ourId = str(metadata?.payment_id);
  if (ourId) return findPayment(db, ourId);
  const intentId = event.type.startsWith("charge.") ? str(object.payment_intent) : str(object.id);
  return intentId ? findByProviderRef(db, intentId) : undefined;
}

/** The gateway's request id of the webhook call (so one id finds its effects everywhere), else the event id. */
const correlationOf = (event: WebhookEvent) => currentCorrelationId() ?? event.id;

// The request that charges owns a processing attempt; the provider retries the webhook later.
const stillProcessing = () =>
  new AppError(409, "payment_in_progress", "The payment is still being processed; retry later", {
    headers: { "retry-after": "30" },
  });

/**
 * A charge the provider confirms after we recorded it failed (timeout, abandoned attempt): it becomes the
 * order's payment, or is refunded when the order already has one (the unique index says so).
 */
async function lateSuccess(
  env: Env,
  db: Db,
  payment: PaymentRow,
  event: WebhookEvent,
  also: BatchItem<"sqlite">,
) {
  const correlationId = correlationOf(event);
  const charged = { ...payment, providerRef: str(event.data.object.id) ?? payment.providerRef };
  const order = await env.ORDERS.getOrder(
    payment.orderId,
    { userId: payment.userId, role: "user" },
    correlationId,
  );
  try {
    await recordSuccess(
      env,
      db,
      charged,
      order?.items ?? [],
      { from: ["failed"], correlationId, also: [also] },
      order?.breakdown,
    );
  } catch (error) {
    if (!isUniqueViolation(error, "payments.order_id")) throw error;
    log("warn", "late charge for an order already paid; refunding", { paymentId: payment.id, correlationId });
    await refundPayment(env, db, charged, { from: ["failed"], correlationId, also: [also] });
  }
}

/**
 * Applies a verified provider event once (its id is stored in the same batch as its effects).
 * Returns whether it was a duplicate.
 */
export async function handleWebhook(env: Env, db: Db, event: WebhookEvent): Promise<{ duplicate: boolean }> {
  if (await webhookSeen(db, event.id)) return { duplicate: true };
  const remember = webhookInsert(db, event.id, event.type);
  const payment = (HANDLED_WEBHOOK_TYPES as readonly string[]).includes(event.type)
    ? await paymentOf(db, event)
    : undefined;
  if (payment && event.type !== "charge.refunded" && payment.status === "processing") throw stillProcessing();
  try {
    if (payment && event.type === "payment_intent.succeeded" && payment.status === "failed") {
      await lateSuccess(env, db, payment, event, remember);
    } else if (payment && event.type === "charge.refunded" && payment.status === "succeeded") {
      // Refunded on the provider's side (dashboard, dispute): record it, nothing to call.
      await recordRefund(env, db, payment, {
        from: ["succeeded"],
        correlationId: correlationOf(event),
        also: [remember],
      });
    } else {
      if (!payment)
        log("info", "webhook without a payment to change", { eventId: event.id, type: event.type });
      await remember;
    }
  } catch (error) {
    // A concurrent delivery of the same event committed first.
    if (isUniqueViolation(error, "webhook_events.id") && (await webhookSeen(db, event.id)))
      return { duplicate: true };
    throw error;
  }
  return { duplicate: false };
}
