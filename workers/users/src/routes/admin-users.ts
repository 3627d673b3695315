import { pagination, UserResponseSchema } from "@edge-shop/contracts";
import { openApi, requireAdmin, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute, z } from "@hono/zod-openapi";
import { database } from "../db/client";
import { listUsers } from "../db/queries/admin-users";
import { toUser } from "../db/queries/users";
import { updateUserAsAdmin } from "../domain/admin-users";
import { AdminUserPatchSchema, UserListQuerySchema, UserListSchema } from "./account-schemas";

const { access, json, jsonBody, problem } = openApi;

const tags = ["Admin"];

const listRoute = createRoute({
  method: "get",
  path: "/api/admin/users",
  tags,
  summary: "Accounts, newest first: search by email or name, filter by role (admin)",
  ...access("admin"),
  request: { query: UserListQuerySchema },
  responses: {
    200: json(UserListSchema, "A page of accounts"),
    400: problem("Invalid query (errors[])"),
    401: problem("Authentication required"),
    403: problem("Admin role required"),
  },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/api/admin/users/{id}",
  tags,
  summary: "Change an account's role, or disable or enable it (admin)",
  description:
    "A disabled account gets the same 401 as a wrong password at login and at refresh, and its sessions " +
    "(refresh families) are revoked. An admin cannot demote or disable themself, nor the last enabled admin.",
  ...access("admin"),
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(100)
        .openapi({ param: { name: "id", in: "path" } }),
    }),
    body: jsonBody(AdminUserPatchSchema),
  },
  responses: {
    200: json(UserResponseSchema, "The account after the change"),
    400: problem("Invalid body (errors[])"),
    401: problem("Authentication required"),
    403: problem("Admin role required"),
    404: problem("No such account"),
    409: problem("Your own account (`cannot_change_self`), or the last admin (`last_admin`)"),
  },
});

/** GET /api/admin/users and PATCH /api/admin/users/:id. */
export function adminUserRoutes(app: ServiceApp<Env>): void {
  app.openapi(listRoute, async (c) => {
    requireAdmin(c);
    const query = c.req.valid("query");
    const { rows, total } = await listUsers(database(c.env.DB), query);
    return c.json({ users: rows.map(toUser), pagination: pagination(query, total) }, 200);
  });

  app.openapi(patchRoute, async (c) => {
    const admin = requireAdmin(c);
    const user = await updateUserAsAdmin(
      database(c.env.DB),
      admin,
      c.req.valid("param").id,
      c.req.valid("json"),
      Date.now(),
    );
    return c.json({ user: toUser(user) }, 200);
  });
}
