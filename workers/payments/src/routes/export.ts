import { INTERNAL_EXPORT_PATH, requireUser, type ServiceApp } from "@edge-shop/worker-kit";
import { database } from "../db/client";
import { allPaymentsOf, toPayment } from "../db/queries/payments";

/** The payments part of `GET /api/users/profile/export`: every payment attempt of the caller. */
export function exportRoutes(app: ServiceApp<Env>): void {
  app.get(INTERNAL_EXPORT_PATH, async (c) => {
    const who = requireUser(c);
    const rows = await allPaymentsOf(database(c.env.DB), who.userId);
    return c.json({ payments: rows.map(toPayment) });
  });
}
