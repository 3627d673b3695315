import { env } from "cloudflare:workers";
import type { Problem, User } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { confirmLink } from "../src/domain/email-links";
import {
  call,
  caller,
  login,
  PASSWORD,
  registerUser,
  registerWithLink,
  serve,
  tokenOf,
  uniqueEmail,
} from "./helpers";

const verify = (token: string) => call("POST", "/api/users/verify-email", { body: { token } });

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect((await response.json()) as Problem).toMatchObject({ status, code });
}

const meta = (now = Date.now()) => ({ now, correlationId: "req-test" });

describe("email verification", () => {
  it("registration sends the link in the welcome message; it verifies the address once", async () => {
    const { verifyToken, user } = await registerWithLink();
    expect(user.emailVerified).toBe(false);
    const response = await verify(verifyToken);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { user: User }).user).toMatchObject({
      id: user.id,
      emailVerified: true,
    });
    await expectProblem(await verify(verifyToken), 400, "invalid_token");
    const profile = await call("GET", "/api/users/profile", { as: caller(user.id) });
    expect(((await profile.json()) as { user: User }).user.emailVerified).toBe(true);
  });

  it("sends a new link on request (202), and says so when the address is already verified", async () => {
    const { user, verifyToken } = await registerWithLink();
    const asked = await serve("POST", "/api/users/verify-email/request", { as: caller(user.id) });
    expect(asked.response.status).toBe(202);
    const [event] = asked.sent.notifications;
    expect(event).toMatchObject({ type: "user.verification_requested", data: { userId: user.id } });
    // Two live links: either works, once.
    expect((await verify(tokenOf(event))).status).toBe(200);
    const again = await serve("POST", "/api/users/verify-email/request", { as: caller(user.id) });
    expect(again.response.status).toBe(202);
    expect(await again.response.json()).toEqual({ message: "Your email address is already verified." });
    expect(again.sent.notifications).toEqual([]);
    expect((await verify(verifyToken)).status).toBe(200);
    expect((await call("POST", "/api/users/verify-email/request")).status).toBe(401);
  });

  it("refuses an expired link (24 hours), with an injected clock", async () => {
    const { verifyToken } = await registerWithLink();
    const db = database(env.DB);
    await expect(confirmLink(db, verifyToken, meta(Date.now() + 25 * 3600_000))).rejects.toMatchObject({
      code: "invalid_token",
    });
    await expect(confirmLink(db, verifyToken, meta(Date.now() + 23 * 3600_000))).resolves.toMatchObject({
      user: { emailVerified: true },
    });
  });

  it("refuses malformed, tampered and unknown tokens, and a missing one (400)", async () => {
    const { verifyToken } = await registerWithLink();
    for (const token of ["", "x", `${verifyToken.slice(1)}A`, "B".repeat(43)]) {
      await expectProblem(await verify(token), 400, "invalid_token");
    }
    await expectProblem(
      await call("POST", "/api/users/verify-email", { body: {} }),
      400,
      "validation_failed",
    );
  });
});

describe("POST /api/users/email", () => {
  const change = (userId: string, body: Record<string, unknown>) =>
    serve("POST", "/api/users/email", { as: caller(userId), body });

  it("needs the current password, a new address, and one nobody has (400, 400, 409)", async () => {
    const { user, email } = await registerUser();
    const other = await registerUser();
    const wrong = await change(user.id, { newEmail: uniqueEmail(), currentPassword: "wrong-password" });
    await expectProblem(wrong.response, 400, "invalid_current_password");
    const same = await change(user.id, { newEmail: email.toUpperCase(), currentPassword: PASSWORD });
    await expectProblem(same.response, 400, "validation_failed");
    const taken = await change(user.id, { newEmail: other.email, currentPassword: PASSWORD });
    await expectProblem(taken.response, 409, "email_taken");
    expect([wrong, same, taken].flatMap((s) => s.sent.notifications)).toEqual([]);
  });

  it("sends a link to the new address; using it switches the login email, verified, and tells the old address", async () => {
    const { user, email } = await registerUser();
    const newEmail = uniqueEmail("moved");
    const asked = await change(user.id, { newEmail, currentPassword: PASSWORD });
    expect(asked.response.status).toBe(202);
    const [event] = asked.sent.notifications;
    expect(event).toMatchObject({ type: "user.email_change_requested", data: { email: newEmail } });
    // Nothing changes until the link is used.
    expect((await login(email, PASSWORD)).status).toBe(200);

    const confirmed = await serve("POST", "/api/users/verify-email", { body: { token: tokenOf(event) } });
    expect(confirmed.response.status).toBe(200);
    expect(((await confirmed.response.json()) as { user: User }).user).toMatchObject({
      email: newEmail,
      emailVerified: true,
    });
    expect(confirmed.sent.notifications).toMatchObject([
      { type: "user.email_changed", data: { userId: user.id, email, newEmail } },
    ]);
    expect((await login(newEmail, PASSWORD)).status).toBe(200);
    expect((await login(email, PASSWORD)).status).toBe(401);
    await expectProblem(await verify(tokenOf(event)), 400, "invalid_token");
  });

  it("is 409 when another account took the address meanwhile, and the link still works once it is free", async () => {
    const { user } = await registerUser();
    const newEmail = uniqueEmail("contested");
    const asked = await change(user.id, { newEmail, currentPassword: PASSWORD });
    const token = tokenOf(asked.sent.notifications[0]);
    const squatter = await registerUser({ email: newEmail });
    await expectProblem(await verify(token), 409, "email_taken");
    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(squatter.user.id).run();
    expect((await verify(token)).status).toBe(200);
  });

  it("a verification link sent to the old address verifies nothing once the address changed", async () => {
    const { user, verifyToken } = await registerWithLink();
    const asked = await change(user.id, { newEmail: uniqueEmail("next"), currentPassword: PASSWORD });
    expect((await verify(tokenOf(asked.sent.notifications[0]))).status).toBe(200);
    await expectProblem(await verify(verifyToken), 400, "invalid_token");
  });
});
