import { UserResponseSchema } from "@edge-shop/contracts";
import { openApi, requireUser, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute } from "@hono/zod-openapi";
import { database } from "../db/client";
import { toUser } from "../db/queries/users";
import { confirmLink, requestEmailChange, requestVerification } from "../domain/email-links";
import { publishAfterResponse } from "../domain/events";
import { AcceptedSchema, ChangeEmailBodySchema, TokenBodySchema } from "./account-schemas";

const { access, json, jsonBody, problem } = openApi;

const tags = ["Users"];

const requestVerificationRoute = createRoute({
  method: "post",
  path: "/api/users/verify-email/request",
  tags,
  summary: "Email a new verification link to the caller's address",
  description:
    "The link (`<origin>/#/verify-email?token=…`) works once, for 24 hours. Registration sends one too. " +
    "Unverified accounts can shop; `user.emailVerified` is there for a shop that wants to require it.",
  ...access("user"),
  responses: {
    202: json(AcceptedSchema, "A link is on its way (or the address is already verified: the message says)"),
    401: problem("Authentication required"),
    404: problem("The account no longer exists"),
  },
});

const verifyRoute = createRoute({
  method: "post",
  path: "/api/users/verify-email",
  tags,
  summary: "Use a verification or email-change link",
  description:
    "A verification link marks its address verified. An email-change link makes its new address the login " +
    "email (verified) and tells the old address. Each link works once.",
  request: { body: jsonBody(TokenBodySchema) },
  responses: {
    200: json(UserResponseSchema, "The account, with `emailVerified: true`"),
    400: problem(
      "Unknown, used, expired, malformed or other kind of token (`invalid_token`), or invalid body",
    ),
    409: problem("Another account took the new address meanwhile (`email_taken`)"),
  },
});

const changeEmailRoute = createRoute({
  method: "post",
  path: "/api/users/email",
  tags,
  summary: "Change the login email (confirmed by a link sent to the new address)",
  description:
    "Needs the current password. The new address gets a link (24 hours, once) to `POST /api/users/verify-email`; " +
    "until it is used the login email stays the same.",
  ...access("user"),
  request: { body: jsonBody(ChangeEmailBodySchema) },
  responses: {
    202: json(AcceptedSchema, "The confirmation link is on its way to the new address"),
    400: problem("Invalid body, wrong currentPassword or the address already yours (errors[])"),
    401: problem("Authentication required"),
    409: problem("An account with this email already exists (`email_taken`)"),
  },
});

/** Verification links and the email change. */
export function emailLinkRoutes(app: ServiceApp<Env>): void {
  app.openapi(requestVerificationRoute, async (c) => {
    const who = requireUser(c);
    const db = database(c.env.DB);
    const meta = { now: Date.now(), correlationId: c.get("requestId") };
    const { verified, published } = await requestVerification(db, who.userId, meta);
    publishAfterResponse(c.executionCtx, db, c.env, [published]);
    const message = verified
      ? "Your email address is already verified."
      : "A verification link is on its way to your email address.";
    return c.json({ message }, 202);
  });

  app.openapi(verifyRoute, async (c) => {
    const db = database(c.env.DB);
    const meta = { now: Date.now(), correlationId: c.get("requestId") };
    const { user, published } = await confirmLink(db, c.req.valid("json").token, meta);
    publishAfterResponse(c.executionCtx, db, c.env, published);
    return c.json({ user: toUser(user) }, 200);
  });

  app.openapi(changeEmailRoute, async (c) => {
    const who = requireUser(c);
    const db = database(c.env.DB);
    const meta = { now: Date.now(), correlationId: c.get("requestId") };
    const published = await requestEmailChange(db, who.userId, c.req.valid("json"), meta);
    publishAfterResponse(c.executionCtx, db, c.env, [published]);
    return c.json({ message: "A confirmation link is on its way to the new address." }, 202);
  });
}
