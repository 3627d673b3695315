import { PreferencesPatchSchema, PreferencesResponseSchema } from "@edge-shop/contracts";
import { errors, openApi, requireUser, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute } from "@hono/zod-openapi";
import { database } from "../db/client";
import { getPreferences, updatePreferences } from "../db/queries/preferences";

const { access, json, jsonBody, problem } = openApi;

const tags = ["Notifications"];

const getRoute = createRoute({
  method: "get",
  path: "/api/notifications/preferences",
  tags,
  summary: "The caller's notification preferences (defaults: email on, sms off)",
  ...access("user"),
  responses: {
    200: json(PreferencesResponseSchema, "The caller's preferences"),
    401: problem("Authentication required"),
  },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/api/notifications/preferences",
  tags,
  summary: "Change notification preferences",
  description:
    "Only the fields sent change. `phone` is E.164 (`+14155550123`) or null to remove it; `sms: true` " +
    "needs a phone (sent now or stored before). Receipts, payment failures, refunds and cancellations " +
    "are emailed even when `email` is false; SMS is sent only when `sms` is true.",
  ...access("user"),
  request: { body: jsonBody(PreferencesPatchSchema) },
  responses: {
    200: json(PreferencesResponseSchema, "The preferences after the change"),
    400: problem("Invalid body, or sms on without a phone (errors[])"),
    401: problem("Authentication required"),
  },
});

/** GET and PATCH /api/notifications/preferences. */
export function preferenceRoutes(app: ServiceApp<Env>): void {
  app.openapi(getRoute, async (c) => {
    const who = requireUser(c);
    return c.json({ preferences: await getPreferences(database(c.env.DB), who.userId) }, 200);
  });

  app.openapi(patchRoute, async (c) => {
    const who = requireUser(c);
    const patch = c.req.valid("json");
    const db = database(c.env.DB);
    const current = await getPreferences(db, who.userId);
    const next = {
      email: patch.email ?? current.email,
      sms: patch.sms ?? current.sms,
      phone: patch.phone === undefined ? current.phone : patch.phone,
    };
    const smsNeedsPhone = errors.validation([
      { path: patch.phone === null ? "phone" : "sms", message: "SMS notifications need a phone number" },
    ]);
    if (next.sms && !next.phone) throw smsNeedsPhone;
    const saved = await updatePreferences(db, who.userId, patch, next);
    // null: a concurrent PATCH removed the phone between our read and our write.
    if (!saved) throw smsNeedsPhone;
    return c.json({ preferences: saved }, 200);
  });
}
