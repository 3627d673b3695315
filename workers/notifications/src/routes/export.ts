import { INTERNAL_EXPORT_PATH, requireUser, type ServiceApp } from "@edge-shop/worker-kit";
import { database } from "../db/client";
import { allForUser } from "../db/queries/notifications";
import { getPreferences } from "../db/queries/preferences";
import { toNotification } from "./notifications";

/** The notifications part of `GET /api/users/profile/export`: every message of the caller, and the preferences. */
export function exportRoutes(app: ServiceApp<Env>): void {
  app.get(INTERNAL_EXPORT_PATH, async (c) => {
    const who = requireUser(c);
    const db = database(c.env.DB);
    const [rows, preferences] = await Promise.all([
      allForUser(db, who.userId),
      getPreferences(db, who.userId),
    ]);
    return c.json({ notifications: rows.map(toNotification), preferences });
  });
}
