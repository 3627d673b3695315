import { errors, INTERNAL_EXPORT_PATH, requireUser, type ServiceApp } from "@edge-shop/worker-kit";
import { database } from "../db/client";
import { findUserById, toUser } from "../db/queries/users";

/**
 * The users part of `GET /api/users/profile/export`, which the gateway gathers from every service as the caller.
 * An account that no longer exists (deleted since its access token was issued) is a 401: there is no one to
 * export, and the gateway answers the whole export with it.
 */
export function exportRoutes(app: ServiceApp<Env>): void {
  app.get(INTERNAL_EXPORT_PATH, async (c) => {
    const who = requireUser(c);
    const user = await findUserById(database(c.env.DB), who.userId);
    if (!user) throw errors.unauthorized("The account no longer exists");
    return c.json({ user: toUser(user) });
  });
}
