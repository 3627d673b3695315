import { type Order, Queues } from "@edge-shop/contracts";
import { errors } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { findOrder } from "../db/queries/orders";
import { destinations, orderEvent, publish } from "./events";
import { toOrder } from "./order-view";
import { invalidTransition } from "./state-machine";
import { applyTransition } from "./transitions";

/** `PATCH /api/orders/:id/status` (admin): paid → shipped, shipped → delivered, each announced to notifications. */
export async function fulfilOrder(
  env: Env,
  db: Db,
  orderId: string,
  status: "shipped" | "delivered",
  correlationId: string,
): Promise<Order> {
  const order = await findOrder(db, orderId);
  if (!order) throw errors.notFound("Order");
  const data = { orderId: order.id, userId: order.userId };
  const event =
    status === "shipped"
      ? orderEvent("order.shipped", data, correlationId)
      : orderEvent("order.delivered", data, correlationId);
  const to = [Queues.notifications];
  const won = await applyTransition(db, order, status, { event, destinations: to });
  if (!won) {
    const now = await findOrder(db, orderId);
    throw invalidTransition(now?.status ?? order.status, status);
  }
  await publish(db, destinations(env), [{ event, destinations: to }]);
  const updated = await findOrder(db, orderId);
  if (!updated) throw errors.notFound("Order");
  return toOrder(updated);
}
