// The data export, answered by the gateway itself from every service's internal export route (account/export.ts),
// described for the public document.
import { openApi } from "@edge-shop/worker-kit";
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import { AccountExportSchema } from "../account/export";

const { problem, json } = openApi;

/** Registers the description of `GET /api/users/profile/export` on the gateway's described app. */
export function describeAccountRoutes(described: OpenAPIHono): void {
  described.openapi(
    createRoute({
      method: "get",
      path: "/api/users/profile/export",
      tags: ["Users"],
      security: [{ bearerAuth: [] }],
      summary: "Everything the shop holds about the caller, from every service (GDPR articles 15 and 20)",
      description:
        "The account, every order (with its address), every payment attempt, every notification, the " +
        "notification preferences and the current cart at today's prices (`carts`: empty when there is none), " +
        "in one JSON document (`Content-Disposition: attachment`, never cached). " +
        "All or nothing: when a service cannot answer, the export fails rather than leave data out.",
      responses: {
        200: json(AccountExportSchema, "The caller's data"),
        401: problem("Authentication required, or the account no longer exists"),
      },
    }),
    (c) => c.json({} as z.infer<typeof AccountExportSchema>, 200),
  );
}
