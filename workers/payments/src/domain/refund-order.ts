import type { EventEnvelope } from "@edge-shop/contracts";
import { alreadyProcessed, inboxInsert, log } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { listForOrder } from "../db/queries/payments";
import { refundPayment } from "./settle";

/**
 * The payments side of `payments-queue`: `order.refunded` (a paid order was cancelled) refunds the order's
 * succeeded payment. The inbox row commits with the refund, and the provider refund is idempotent per
 * payment, so a redelivered event refunds nothing twice. Other order events need nothing from payments.
 */
export async function onOrderEvent(env: Env, db: Db, event: EventEnvelope): Promise<void> {
  if (event.type !== "order.refunded") return;
  if (await alreadyProcessed(db, event.id)) return;
  const attempts = await listForOrder(db, event.data.orderId);
  const succeeded = attempts.find((p) => p.status === "succeeded");
  const remember = inboxInsert(db, event);
  if (succeeded) {
    await refundPayment(env, db, succeeded, {
      from: ["succeeded"],
      correlationId: event.correlationId,
      also: [remember],
    });
    return;
  }
  // A charge still with the provider may yet succeed: throwing retries the message later.
  if (attempts.some((p) => p.status === "processing")) {
    throw new Error(`order ${event.data.orderId} has a payment still processing`);
  }
  log("warn", "order.refunded without a succeeded payment", {
    orderId: event.data.orderId,
    eventId: event.id,
    alreadyRefunded: attempts.some((p) => p.status === "refunded"),
  });
  await db.batch([remember]);
}
