import {
  AuthResponseSchema,
  LoginBodySchema,
  RefreshTokenBodySchema,
  RegisterBodySchema,
  TokenPairSchema,
} from "@edge-shop/contracts";
import { openApi, requireUser, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute } from "@hono/zod-openapi";
import { database } from "../db/client";
import { toUser } from "../db/queries/users";
import { login, register } from "../domain/accounts";
import { publish } from "../domain/events";
import { newRefreshToken, refreshTokenTtlMs, revokeSession, rotateRefreshToken } from "../domain/sessions";
import { signAccessToken } from "../tokens/access-token";

const { access, json, jsonBody, problem } = openApi;

const tags = ["Users"];

const registerRoute = createRoute({
  method: "post",
  path: "/api/users/register",
  tags,
  summary: "Create an account (role user; a `role` field is ignored)",
  description:
    "The welcome email carries a link that verifies the address (`<origin>/#/verify-email?token=…`, 24 hours).",
  request: { body: jsonBody(RegisterBodySchema) },
  responses: {
    201: json(AuthResponseSchema, "The account, an access token and a refresh token"),
    400: problem("Invalid body (errors[])"),
    409: problem("An account with this email already exists"),
  },
});

const loginRoute = createRoute({
  method: "post",
  path: "/api/users/login",
  tags,
  summary: "Log in with email and password",
  description:
    "Wrong password, unknown email, a disabled account and a temporarily locked one (5 consecutive failures " +
    "lock it for 1 minute, doubling up to 15 minutes; more guesses at once than failures left lock it at once) " +
    "all answer the same 401 `Invalid credentials`.",
  request: { body: jsonBody(LoginBodySchema) },
  responses: {
    200: json(AuthResponseSchema, "An access token and a refresh token"),
    400: problem("Invalid body (errors[])"),
    401: problem("Invalid credentials"),
  },
});

const refreshRoute = createRoute({
  method: "post",
  path: "/api/users/refresh",
  tags,
  summary: "Exchange a refresh token for new tokens (single use; reuse revokes the session)",
  request: { body: jsonBody(RefreshTokenBodySchema) },
  responses: {
    200: json(TokenPairSchema, "A new access token and a new refresh token"),
    400: problem("Invalid body (errors[])"),
    401: problem("Invalid, expired, used or revoked refresh token, or a disabled account"),
  },
});

const logoutRoute = createRoute({
  method: "post",
  path: "/api/users/logout",
  tags,
  summary: "Revoke a refresh token and its session",
  ...access("user"),
  request: { body: jsonBody(RefreshTokenBodySchema) },
  responses: {
    204: { description: "Revoked (also when the token was unknown or already revoked)" },
    400: problem("Invalid body (errors[])"),
    401: problem("Authentication required"),
  },
});

/** Registration, login, refresh and logout. */
export function authRoutes(app: ServiceApp<Env>): void {
  app.openapi(registerRoute, async (c) => {
    const db = database(c.env.DB);
    const { user, refreshToken, published } = await register(db, c.req.valid("json"), {
      refreshTtlMs: refreshTokenTtlMs(c.env.REFRESH_TOKEN_TTL_SECONDS),
      now: Date.now(),
      correlationId: c.get("requestId"),
    });
    // The outbox row is committed; it is sent from memory (no read back), a failed send is retried by the
    // scheduled handler.
    await publish(db, c.env, [published]);
    const token = await signAccessToken(c.env, { userId: user.id, role: user.role });
    return c.json({ message: "User registered successfully", token, refreshToken, user: toUser(user) }, 201);
  });

  app.openapi(loginRoute, async (c) => {
    const db = database(c.env.DB);
    const { email, password } = c.req.valid("json");
    const now = Date.now();
    const user = await login(db, email, password, now);
    const refresh = await newRefreshToken(db, {
      userId: user.id,
      ttlMs: refreshTokenTtlMs(c.env.REFRESH_TOKEN_TTL_SECONDS),
      now,
    });
    await refresh.insert;
    const token = await signAccessToken(c.env, { userId: user.id, role: user.role });
    return c.json(
      { message: "Login successful", token, refreshToken: refresh.token, user: toUser(user) },
      200,
    );
  });

  app.openapi(refreshRoute, async (c) => {
    const db = database(c.env.DB);
    const { user, refreshToken } = await rotateRefreshToken(db, c.req.valid("json").refreshToken, {
      ttlMs: refreshTokenTtlMs(c.env.REFRESH_TOKEN_TTL_SECONDS),
      now: Date.now(),
    });
    const token = await signAccessToken(c.env, { userId: user.id, role: user.role });
    return c.json({ token, refreshToken }, 200);
  });

  app.openapi(logoutRoute, async (c) => {
    const who = requireUser(c);
    await revokeSession(database(c.env.DB), c.req.valid("json").refreshToken, who.userId, Date.now());
    return c.body(null, 204);
  });
}
