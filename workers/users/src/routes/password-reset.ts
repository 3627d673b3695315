import { openApi, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute } from "@hono/zod-openapi";
import { database } from "../db/client";
import { publishAfterResponse } from "../domain/events";
import { requestPasswordReset, resetPassword } from "../domain/password-reset";
import { AcceptedSchema, ForgotPasswordBodySchema, ResetPasswordBodySchema } from "./account-schemas";

const { json, jsonBody, problem } = openApi;

const tags = ["Users"];

const FORGOT_ANSWER = "If an account exists for this address, a link to reset its password is on its way.";

const forgotRoute = createRoute({
  method: "post",
  path: "/api/users/password/forgot",
  tags,
  summary: "Email a password-reset link",
  description:
    "The same answer whether or not an account has this email. The link (`<origin>/#/reset-password?token=…`) " +
    "works once, for 30 minutes. Limited like login (auth rate limit).",
  request: { body: jsonBody(ForgotPasswordBodySchema) },
  responses: {
    202: json(AcceptedSchema, "Always the same message"),
    400: problem("Invalid body (errors[])"),
  },
});

const resetRoute = createRoute({
  method: "post",
  path: "/api/users/password/reset",
  tags,
  summary: "Set a new password with a reset link",
  description:
    "The password follows the registration rules. Every session (refresh token) of the account is revoked, " +
    "the failed-login lock is cleared and every other reset link of the account stops working.",
  request: { body: jsonBody(ResetPasswordBodySchema) },
  responses: {
    204: { description: "The password is changed" },
    400: problem(
      "Unknown, used, expired, malformed or other kind of token (`invalid_token`), or invalid body",
    ),
  },
});

/** Forgotten password: the link, then the reset. */
export function passwordResetRoutes(app: ServiceApp<Env>): void {
  app.openapi(forgotRoute, async (c) => {
    const db = database(c.env.DB);
    const meta = { now: Date.now(), correlationId: c.get("requestId") };
    const published = await requestPasswordReset(db, c.req.valid("json").email, meta);
    publishAfterResponse(c.executionCtx, db, c.env, [published]);
    return c.json({ message: FORGOT_ANSWER }, 202);
  });

  app.openapi(resetRoute, async (c) => {
    const { token, password } = c.req.valid("json");
    await resetPassword(database(c.env.DB), token, password, Date.now());
    return c.body(null, 204);
  });
}
