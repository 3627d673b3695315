import { INTERNAL_EXPORT_PATH, requireUser, type ServiceApp } from "@edge-shop/worker-kit";
import { database } from "../db/client";
import { allOrdersOf } from "../db/queries/orders";
import { toOrder } from "../domain/order-view";

/** The orders part of `GET /api/users/profile/export`: every order of the caller, addresses included. */
export function exportRoutes(app: ServiceApp<Env>): void {
  app.get(INTERNAL_EXPORT_PATH, async (c) => {
    const who = requireUser(c);
    const orders = await allOrdersOf(database(c.env.DB), who.userId);
    return c.json({ orders: orders.map(toOrder) });
  });
}
