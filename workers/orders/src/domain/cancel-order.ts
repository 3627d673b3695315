import { type Identity, type Order, Queues } from "@edge-shop/contracts";
import { errors } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { findOrder, type OrderRecord } from "../db/queries/orders";
import { destinations, orderEvent, publish } from "./events";
import { toOrder } from "./order-view";
import { invalidTransition } from "./state-machine";
import { applyTransition, releaseStock } from "./transitions";

/** The order if the caller may see it (its owner or an admin); otherwise 404, never 403 (no existence leak). */
export async function visibleOrder(db: Db, caller: Identity, orderId: string): Promise<OrderRecord> {
  const order = await findOrder(db, orderId);
  if (!order || (caller.role !== "admin" && order.userId !== caller.userId)) throw errors.notFound("Order");
  return order;
}

type CancelReason = "customer" | "admin" | "expired";

/**
 * Cancels one order. `pending` → `cancelled` (stock released, `order.cancelled`). `paid` → `refunded` at once:
 * the order state is the promise to the customer, while the money goes back asynchronously: `order.refunded`
 * goes to payments (which refunds at its provider, idempotently, with retries and a DLQ) and to notifications.
 * Returns whether this call won (false: the order changed meanwhile; the caller re-reads and decides).
 */
export async function cancelOnce(
  env: Env,
  db: Db,
  order: OrderRecord,
  reason: CancelReason,
  correlationId: string,
): Promise<boolean> {
  const queues = destinations(env);
  if (order.status === "paid") {
    const event = orderEvent(
      "order.refunded",
      { orderId: order.id, userId: order.userId, amount: order.total, currency: order.currency },
      correlationId,
    );
    const to = [Queues.payments, Queues.notifications];
    if (!(await applyTransition(db, order, "refunded", { event, destinations: to }))) return false;
    await publish(db, queues, [{ event, destinations: to }]);
  } else {
    const event = orderEvent(
      "order.cancelled",
      { orderId: order.id, userId: order.userId, reason },
      correlationId,
    );
    const to = [Queues.notifications];
    if (!(await applyTransition(db, order, "cancelled", { event, destinations: to }))) return false;
    await publish(db, queues, [{ event, destinations: to }]);
  }
  await releaseStock(env, db, order.id);
  return true;
}

/** `POST /api/orders/:id/cancel` for the owner or an admin; anything but pending/paid is 409. */
export async function cancelOrder(
  env: Env,
  db: Db,
  caller: Identity,
  orderId: string,
  correlationId: string,
): Promise<Order> {
  // A lost race re-reads the order once: e.g. it became paid meanwhile, so cancelling now means refunding.
  for (let attempt = 0; attempt < 2; attempt++) {
    const order = await visibleOrder(db, caller, orderId);
    if (order.status !== "pending" && order.status !== "paid")
      throw invalidTransition(order.status, "cancelled");
    const reason = caller.role === "admin" && caller.userId !== order.userId ? "admin" : "customer";
    if (await cancelOnce(env, db, order, reason, correlationId)) {
      return toOrder(await visibleOrder(db, caller, orderId));
    }
  }
  const now = await visibleOrder(db, caller, orderId);
  throw invalidTransition(now.status, "cancelled");
}
