import { env } from "cloudflare:workers";
import type { Problem } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { tablesContaining } from "../../../packages/worker-kit/testing/d1-search";
import { call, caller, login, PASSWORD, registerUser, registerWithLink, serve, uniqueEmail } from "./helpers";

describe("DELETE /api/users/profile", () => {
  it("needs the caller and the current password (401, 400)", async () => {
    const { user } = await registerUser();
    expect((await call("DELETE", "/api/users/profile", { body: { currentPassword: PASSWORD } })).status).toBe(
      401,
    );
    const wrong = await call("DELETE", "/api/users/profile", {
      as: caller(user.id),
      body: { currentPassword: "wrong-password" },
    });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()) as Problem).toMatchObject({ code: "invalid_current_password" });
    expect((await call("DELETE", "/api/users/profile", { as: caller(user.id), body: {} })).status).toBe(400);
  });

  it("erases the account and every trace of the person here, ends the sessions, frees the email, tells every service", async () => {
    const firstName = `Zelda${crypto.randomUUID().slice(0, 8)}`;
    const lastName = `Quist${crypto.randomUUID().slice(0, 8)}`;
    const { user, email, refreshToken } = await registerWithLink({ firstName, lastName });
    await serve("POST", "/api/users/password/forgot", { body: { email } });
    // An unsent row naming the person (a welcome that never went out) goes too.
    await env.DB.prepare(
      "INSERT INTO outbox (id, event_id, destination, body, created_at) VALUES (?, ?, 'notifications-queue', ?, ?)",
    )
      .bind(
        `x:${user.id}`,
        `x-${user.id}`,
        JSON.stringify({ data: { userId: user.id, email, firstName } }),
        1,
      )
      .run();

    const deleted = await serve("DELETE", "/api/users/profile", {
      as: caller(user.id),
      body: { currentPassword: PASSWORD },
    });
    expect(deleted.response.status).toBe(204);
    for (const queue of ["notifications", "orders", "payments", "carts"] as const) {
      expect(deleted.sent[queue]).toMatchObject([{ type: "user.deleted", data: { userId: user.id } }]);
    }

    for (const trace of [email, firstName, lastName])
      expect(await tablesContaining(env.DB, trace)).toEqual([]);
    expect((await login(email, PASSWORD)).status).toBe(401);
    expect((await call("POST", "/api/users/refresh", { body: { refreshToken } })).status).toBe(401);
    expect((await call("GET", "/internal/export", { as: caller(user.id) })).status).toBe(401);
    // The email registers again, as a new account.
    const again = await registerUser({ email });
    expect(again.user.id).not.toBe(user.id);
  });

  it("the internal export answers the caller's account", async () => {
    const { user } = await registerUser({ email: uniqueEmail("export") });
    const response = await call("GET", "/internal/export", { as: caller(user.id) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user });
    expect((await call("GET", "/internal/export")).status).toBe(401);
  });
});
