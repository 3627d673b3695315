import type { EventEnvelope, OrderStatus } from "@edge-shop/contracts";
import { alreadyProcessed, inboxInsert, log } from "@edge-shop/worker-kit";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { findOrder } from "../db/queries/orders";
import { SERVICE } from "./events";
import { applyTransition } from "./transitions";

export type PaidResult = { status: OrderStatus; paymentId: string | null } | null;

/**
 * pending → paid for `paymentId`; `extra` joins the same batch (the consumer's inbox row). An order that is no
 * longer pending is left alone: the answer tells payments what happened (e.g. `cancelled`: refund the charge;
 * `paid` by another payment id: refund this one). Null when the order does not exist.
 */
export async function markPaid(
  db: Db,
  orderId: string,
  paymentId: string,
  extra: BatchItem<"sqlite">[] = [],
): Promise<PaidResult> {
  const order = await findOrder(db, orderId);
  if (!order) return null;
  if (order.status === "pending" && (await applyTransition(db, order, "paid", { paymentId, extra }))) {
    return { status: "paid", paymentId };
  }
  if (order.status !== "pending" && extra.length > 0) {
    const [first, ...rest] = extra;
    if (first) await db.batch([first, ...rest]);
  }
  const now = (await findOrder(db, orderId)) ?? order;
  if (now.paymentId !== paymentId) {
    log("warn", "payment for an order that is no longer pending", {
      service: SERVICE,
      orderId,
      paymentId,
      status: now.status,
    });
  }
  return { status: now.status, paymentId: now.paymentId };
}

/** The `payment-events` consumer: applies each event once (inbox); malformed or failing ones are retried. */
export async function handlePaymentEvent(db: Db, event: EventEnvelope): Promise<void> {
  if (await alreadyProcessed(db, event.id)) return;
  switch (event.type) {
    case "payment.succeeded": {
      const result = await markPaid(db, event.data.orderId, event.data.paymentId, [inboxInsert(db, event)]);
      // A payment for an order we do not know is a bug upstream: retry, then the DLQ keeps it for a human.
      if (result === null) throw new Error(`payment.succeeded for unknown order ${event.data.orderId}`);
      return;
    }
    case "payment.failed":
      // The order stays pending for another attempt (or expiry); only the delivery is recorded.
      log("info", "payment failed; order stays pending", {
        service: SERVICE,
        orderId: event.data.orderId,
        reason: event.data.reason,
      });
      await db.batch([inboxInsert(db, event)]);
      return;
    default:
      // Other events are not ours to act on; record them so a redelivery is cheap.
      await db.batch([inboxInsert(db, event)]);
  }
}
