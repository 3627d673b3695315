import { env } from "cloudflare:workers";
import type { Problem } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { FREE_FAILURES } from "../src/domain/lockout";
import { resetPassword } from "../src/domain/password-reset";
import {
  call,
  login,
  PASSWORD,
  registerUser,
  registerWithLink,
  serve,
  tokenOf,
  uniqueEmail,
} from "./helpers";

const NEW_PASSWORD = "a-brand-new-password";

async function forgot(email: string) {
  return serve("POST", "/api/users/password/forgot", { body: { email } });
}

/** Asks for a reset link and answers its token (from the message sent to notifications). */
async function resetToken(email: string): Promise<string> {
  const { response, sent } = await forgot(email);
  expect(response.status).toBe(202);
  return tokenOf(sent.notifications.find((e) => e.type === "user.password_reset_requested"));
}

async function expectInvalidToken(response: Response) {
  expect(response.status).toBe(400);
  expect((await response.json()) as Problem).toMatchObject({ code: "invalid_token", status: 400 });
}

const reset = (token: string, password = NEW_PASSWORD) =>
  call("POST", "/api/users/password/reset", { body: { token, password } });

describe("POST /api/users/password/forgot", () => {
  it("answers an unknown email exactly as a known one: same status, body and D1 calls; only the known one gets mail", async () => {
    const { email } = await registerUser();
    const known = await forgot(email);
    const unknown = await forgot(uniqueEmail("nobody"));
    expect(unknown.response.status).toBe(known.response.status);
    expect(known.response.status).toBe(202);
    expect(await unknown.response.json()).toEqual(await known.response.json());
    // One batch of the same two statements, before the answer; the email goes out after it.
    expect(unknown.callsBeforeAnswer).toEqual(known.callsBeforeAnswer);
    expect(known.callsBeforeAnswer).toEqual(["batch(2)"]);
    expect(unknown.sent.notifications).toEqual([]);
    expect(known.sent.notifications).toMatchObject([
      { type: "user.password_reset_requested", data: { email, firstName: "Ada" } },
    ]);
  });

  it("sends a reset link of 30 minutes, and keeps no usable token in D1 once sent", async () => {
    const { email, user } = await registerUser();
    const { sent } = await forgot(email);
    const [event] = sent.notifications;
    if (event?.type !== "user.password_reset_requested") throw new Error("no reset link sent");
    const token = tokenOf(event);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const expiresAt = Date.parse(event.data.expiresAt);
    expect(expiresAt - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    const dump = await env.DB.prepare(
      "SELECT (SELECT group_concat(body) FROM outbox) || (SELECT group_concat(token_hash) FROM account_tokens) AS text",
    ).first<{ text: string }>();
    expect(dump?.text).not.toContain(token);
    const row = await env.DB.prepare("SELECT body, sent_at FROM outbox WHERE event_id = ?")
      .bind(event.id)
      .first<{ body: string; sent_at: number | null }>();
    expect(row?.sent_at).not.toBeNull();
    expect(JSON.parse(row?.body ?? "{}")).toMatchObject({ data: { userId: user.id, email } });
  });

  it("sends nothing to a disabled account, nor more than 3 live links at once", async () => {
    const { email, user } = await registerUser();
    for (let i = 0; i < 3; i++) expect((await forgot(email)).sent.notifications).toHaveLength(1);
    const fourth = await forgot(email);
    expect(fourth.response.status).toBe(202);
    expect(fourth.sent.notifications).toEqual([]);

    const other = await registerUser();
    await env.DB.prepare("UPDATE users SET disabled = 1 WHERE id = ?").bind(other.user.id).run();
    expect((await forgot(other.email)).sent.notifications).toEqual([]);
    expect(user.id).not.toBe(other.user.id);
  });

  it("refuses a body without a valid email (400), like any other body", async () => {
    const { response } = await serve("POST", "/api/users/password/forgot", { body: { email: "nope" } });
    expect(response.status).toBe(400);
  });
});

describe("POST /api/users/password/reset", () => {
  it("sets the password, revokes every session, clears the lock; the old password and refresh token fail", async () => {
    const { email, refreshToken, user } = await registerUser();
    const second = (await (await login(email, PASSWORD)).json()) as { refreshToken: string };
    for (let i = 0; i < FREE_FAILURES; i++) await login(email, "wrong-password");
    expect((await login(email, PASSWORD)).status).toBe(401);

    const token = await resetToken(email);
    expect((await reset(token)).status).toBe(204);

    expect((await login(email, PASSWORD)).status).toBe(401);
    expect((await login(email, NEW_PASSWORD)).status).toBe(200);
    for (const old of [refreshToken, second.refreshToken]) {
      expect((await call("POST", "/api/users/refresh", { body: { refreshToken: old } })).status).toBe(401);
    }
    const hash = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
      .bind(user.id)
      .first<{ password_hash: string }>();
    expect(hash?.password_hash).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
  });

  it("works once: a second use, and a parallel one, are invalid_token", async () => {
    const { email } = await registerUser();
    const token = await resetToken(email);
    const both = await Promise.all([reset(token, "first-new-password"), reset(token, "second-new-password")]);
    expect(both.map((r) => r.status).sort()).toEqual([204, 400]);
    const loser = both.find((r) => r.status === 400);
    if (loser) await expectInvalidToken(loser);
    await expectInvalidToken(await reset(token));
    // The winner's password is the one that holds.
    const winner = both[0]?.status === 204 ? "first-new-password" : "second-new-password";
    expect((await login(email, winner)).status).toBe(200);
  });

  it("invalidates every other live reset link of the account", async () => {
    const { email } = await registerUser();
    const first = await resetToken(email);
    const second = await resetToken(email);
    expect((await reset(second)).status).toBe(204);
    await expectInvalidToken(await reset(first));
  });

  it("refuses an expired link (30 minutes), with an injected clock", async () => {
    const { email } = await registerUser();
    const token = await resetToken(email);
    const db = database(env.DB);
    await expect(resetPassword(db, token, NEW_PASSWORD, Date.now() + 31 * 60_000)).rejects.toMatchObject({
      status: 400,
      code: "invalid_token",
    });
    // Still within its time it works.
    await expect(resetPassword(db, token, NEW_PASSWORD, Date.now() + 29 * 60_000)).resolves.toBeUndefined();
  });

  it("refuses a verification token, a tampered, an unknown and a malformed one", async () => {
    const { verifyToken, email } = await registerWithLink();
    await expectInvalidToken(await reset(verifyToken));
    const token = await resetToken(email);
    const tampered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    await expectInvalidToken(await reset(tampered));
    await expectInvalidToken(await reset("A".repeat(43)));
    for (const malformed of ["", "short", `${token}x`, "!".repeat(43)])
      await expectInvalidToken(await reset(malformed));
    // A reset token is no verification token either.
    await expectInvalidToken(await call("POST", "/api/users/verify-email", { body: { token } }));
    expect((await reset(token)).status).toBe(204);
  });

  it("applies the registration's password rules (400 with errors[])", async () => {
    const { email } = await registerUser();
    const token = await resetToken(email);
    const response = await reset(token, "short");
    expect(response.status).toBe(400);
    expect(((await response.json()) as Problem).errors?.map((e) => e.path)).toEqual(["password"]);
    expect((await reset(token)).status).toBe(204);
  });
});
