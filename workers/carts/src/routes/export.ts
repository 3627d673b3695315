import { INTERNAL_EXPORT_PATH, requireUser, type ServiceApp } from "@edge-shop/worker-kit";
import { userCart } from "../domain/carts";

/**
 * The carts part of `GET /api/users/profile/export`: the caller's current cart at today's prices, in the API's
 * shape (`[]` when they have none). A guest cart names no one, so it is no one's to export.
 */
export function exportRoutes(app: ServiceApp<Env>): void {
  app.get(INTERNAL_EXPORT_PATH, async (c) => {
    const who = requireUser(c);
    const cart = await userCart(c.env, who.userId);
    return c.json({ carts: cart ? [cart] : [] });
  });
}
