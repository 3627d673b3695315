import type { EventEnvelope } from "@edge-shop/contracts";
import { alreadyProcessed, inboxInsert, log } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { listForOrder } from "../db/queries/payments";
import { refundPayment } from "./refund";

/**
 * The payments side of `payments-queue`: `order.refunded` (a paid order was cancelled) refunds what is left
 * of the order's succeeded payment. The inbox row commits only with the refund's record, and the provider
 * refund is idempotent, so a redelivered event refunds nothing twice; a webhook recording the same refund
 * first makes this one record nothing. Other order events need nothing from payments.
 */
export async function onOrderEvent(env: Env, db: Db, event: EventEnvelope): Promise<void> {
  if (event.type !== "order.refunded") return;
  // A few tries: each one lost only to a concurrent change of the same payment (its refund's webhook).
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await alreadyProcessed(db, event.id)) return;
    const attempts = await listForOrder(db, event.data.orderId);
    const succeeded = attempts.find((p) => p.status === "succeeded");
    if (succeeded) {
      const refunded = await refundPayment(env, db, succeeded, {
        from: ["succeeded"],
        correlationId: event.correlationId,
        remember: (when) => inboxInsert(db, event, when),
      });
      if (refunded.won) return;
      continue;
    }
    // A charge still with the provider (or its card's authentication) may yet succeed: retry the message later.
    if (attempts.some((p) => p.status === "processing" || p.status === "requires_action")) {
      throw new Error(`order ${event.data.orderId} has a payment still processing`);
    }
    log("warn", "order.refunded without a succeeded payment", {
      orderId: event.data.orderId,
      eventId: event.id,
      alreadyRefunded: attempts.some((p) => p.status === "refunded"),
    });
    await db.batch([inboxInsert(db, event)]);
    return;
  }
  throw new Error(`the payment of order ${event.data.orderId} kept changing`);
}
