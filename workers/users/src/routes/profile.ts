import { UpdateProfileBodySchema, UserResponseSchema } from "@edge-shop/contracts";
import { errors, openApi, requireUser, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute } from "@hono/zod-openapi";
import { database } from "../db/client";
import { findUserById, toUser, updateNames } from "../db/queries/users";
import { changePassword } from "../domain/accounts";
import { deleteAccount } from "../domain/deletion";
import { publishAfterResponse } from "../domain/events";
import { DeleteAccountBodySchema } from "./account-schemas";

const { access, json, jsonBody, problem } = openApi;

const tags = ["Users"];

const getProfileRoute = createRoute({
  method: "get",
  path: "/api/users/profile",
  tags,
  ...access("user"),
  summary: "The caller's account",
  responses: {
    200: json(UserResponseSchema, "The account"),
    401: problem("Authentication required"),
    404: problem("The account no longer exists"),
  },
});

const patchProfileRoute = createRoute({
  method: "patch",
  path: "/api/users/profile",
  tags,
  ...access("user"),
  summary: "Change names, or the password",
  description:
    "`firstName`/`lastName` change the names. A password change sends `currentPassword` and the new " +
    "password as `newPassword` (or `password`); it revokes every refresh token of the account, so other " +
    "sessions end when their access token expires. `email` and `role` cannot be changed here.",
  request: { body: jsonBody(UpdateProfileBodySchema) },
  responses: {
    200: json(UserResponseSchema, "The updated account"),
    400: problem("Invalid body, or wrong currentPassword (errors[])"),
    401: problem("Authentication required"),
    404: problem("The account no longer exists"),
  },
});

const deleteProfileRoute = createRoute({
  method: "delete",
  path: "/api/users/profile",
  tags,
  ...access("user"),
  summary: "Delete the account and erase the caller's personal data",
  description:
    "Needs the current password. The account, its sessions and links are gone at once and the email can " +
    "register again; every service then erases what it holds about the person (orders and payments stay for " +
    "accounting, without name, email or address). An access token already issued works until it expires.",
  request: { body: jsonBody(DeleteAccountBodySchema) },
  responses: {
    204: { description: "Deleted" },
    400: problem("Invalid body, or wrong currentPassword (errors[])"),
    401: problem("Authentication required"),
  },
});

/** GET, PATCH and DELETE /api/users/profile. */
export function profileRoutes(app: ServiceApp<Env>): void {
  app.openapi(getProfileRoute, async (c) => {
    const who = requireUser(c);
    const user = await findUserById(database(c.env.DB), who.userId);
    if (!user) throw errors.notFound("User");
    return c.json({ user: toUser(user) }, 200);
  });

  app.openapi(patchProfileRoute, async (c) => {
    const who = requireUser(c);
    const db = database(c.env.DB);
    const body = c.req.valid("json");
    const now = Date.now();
    if (!(await findUserById(db, who.userId))) throw errors.notFound("User");
    const next = body.newPassword ?? body.password;
    if (next !== undefined && body.currentPassword !== undefined) {
      await changePassword(db, who.userId, { current: body.currentPassword, next }, now);
    }
    if (body.firstName !== undefined || body.lastName !== undefined) {
      await updateNames(db, who.userId, body, now);
    }
    const user = await findUserById(db, who.userId);
    if (!user) throw errors.notFound("User");
    return c.json({ user: toUser(user) }, 200);
  });

  app.openapi(deleteProfileRoute, async (c) => {
    const who = requireUser(c);
    const db = database(c.env.DB);
    const meta = { now: Date.now(), correlationId: c.get("requestId") };
    const published = await deleteAccount(db, who.userId, c.req.valid("json").currentPassword, meta);
    publishAfterResponse(c.executionCtx, db, c.env, [published]);
    return c.body(null, 204);
  });
}
