import { type Notification, NotificationListSchema, PageQuerySchema, pagination } from "@edge-shop/contracts";
import { openApi, requireUser, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute } from "@hono/zod-openapi";
import { database } from "../db/client";
import { listForUser, type NotificationRow } from "../db/queries/notifications";

const { access, json, problem } = openApi;

const listRoute = createRoute({
  method: "get",
  path: "/api/notifications",
  tags: ["Notifications"],
  summary: "The caller's notifications, newest first",
  ...access("user"),
  request: { query: PageQuerySchema },
  responses: {
    200: json(NotificationListSchema, "One page of the caller's own notifications (email and SMS)"),
    400: problem("Invalid page or limit (errors[])"),
    401: problem("Authentication required"),
  },
});

/** A delivery-log row as the API shows it: no HTML, errors or attempts. */
export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    channel: row.channel,
    to: row.recipient,
    subject: row.subject,
    body: row.body,
    status: row.status,
    eventType: row.eventType,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** GET /api/notifications. */
export function notificationRoutes(app: ServiceApp<Env>): void {
  app.openapi(listRoute, async (c) => {
    const who = requireUser(c);
    const query = c.req.valid("query");
    const { rows, total } = await listForUser(database(c.env.DB), who.userId, query);
    return c.json({ notifications: rows.map(toNotification), pagination: pagination(query, total) }, 200);
  });
}
