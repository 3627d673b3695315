// Contract scenarios: the gateway's own answers and the users service.
import { describe, expect, it } from "vitest";
import { freshIp } from "../client";
import { emailedLink } from "../mailbox";
import { type Auth, call, expectCall, password, register, session } from "./session";

/** Health, keys, the gateway's own errors, accounts and sessions. */
export function usersContract(): void {
  describe("gateway and users", () => {
    it("health, keys, and the gateway's own answers (401 bad token, 413, 429)", async () => {
      await expectCall(200, "GET", "/health");
      await expectCall(200, "GET", "/.well-known/jwks.json");
      await expectCall(401, "GET", "/api/categories", { token: "not.a.token" });
      await expectCall(413, "POST", "/api/users/login", {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "a@example.com", password: "x".repeat(1024 * 1024 + 10) }),
      });
      // Login's policy (10 a minute) and refresh's own (30 a minute), each up to its 429.
      const ip = freshIp();
      for (const [path, limit] of [
        ["/api/users/login", 10],
        ["/api/users/refresh", 30],
      ] as const) {
        let last = 0;
        for (let i = 0; i <= limit && last !== 429; i++)
          last = (await call("POST", path, { ip, json: {} })).status;
        expect(last).toBe(429);
      }
    });

    it("register and login: 201, 200, 400, 401, 409", async () => {
      const email = `contract-${crypto.randomUUID()}@example.com`;
      const json = { email, password, firstName: "Grace", lastName: "Hopper", role: "admin" };
      const created = await expectCall<Auth & { user: { role: string } }>(
        201,
        "POST",
        "/api/users/register",
        {
          json,
        },
      );
      expect(created.user.role).toBe("user");
      await expectCall(409, "POST", "/api/users/register", { json });
      await expectCall(400, "POST", "/api/users/register", { json: { email: "nope", password: "short" } });
      await expectCall(200, "POST", "/api/users/login", { json: { email, password } });
      await expectCall(401, "POST", "/api/users/login", { json: { email, password: "wrong-password-1" } });
      await expectCall(400, "POST", "/api/users/login", { json: { email } });
    });

    it("refresh and logout: 200, 204, 400, 401", async () => {
      const fresh = await expectCall<Auth>(200, "POST", "/api/users/refresh", {
        json: { refreshToken: session.buyer.refreshToken },
      });
      await expectCall(401, "POST", "/api/users/refresh", {
        json: { refreshToken: session.buyer.refreshToken },
      });
      await expectCall(400, "POST", "/api/users/refresh", { json: { refreshToken: "" } });
      await expectCall(400, "POST", "/api/users/logout", { token: session.buyer.token, json: {} });
      await expectCall(401, "POST", "/api/users/logout", { json: { refreshToken: fresh.refreshToken } });
      await expectCall(204, "POST", "/api/users/logout", {
        token: session.buyer.token,
        json: { refreshToken: fresh.refreshToken },
      });
    });

    it("profile: 200, 400, 401", async () => {
      await expectCall(200, "GET", "/api/users/profile", { token: session.buyer.token });
      await expectCall(401, "GET", "/api/users/profile");
      await expectCall(200, "PATCH", "/api/users/profile", {
        token: session.buyer.token,
        json: { firstName: "Ada" },
      });
      await expectCall(400, "PATCH", "/api/users/profile", { token: session.buyer.token, json: {} });
      await expectCall(400, "PATCH", "/api/users/profile", {
        token: session.buyer.token,
        json: { currentPassword: "wrong-password-1", newPassword: "another-password-2" },
      });
      await expectCall(401, "PATCH", "/api/users/profile", { json: { firstName: "Eve" } });
    });

    it("email verification and change: 200, 202, 400, 401, 409", async () => {
      const fresh = await register();
      const { token } = await emailedLink(fresh.token, "user.registered");
      await expectCall(200, "POST", "/api/users/verify-email", { json: { token } });
      await expectCall(400, "POST", "/api/users/verify-email", { json: { token } });
      await expectCall(400, "POST", "/api/users/verify-email", { json: {} });
      await expectCall(202, "POST", "/api/users/verify-email/request", { token: fresh.token });
      await expectCall(401, "POST", "/api/users/verify-email/request");
      const newEmail = `contract-${crypto.randomUUID()}@example.com`;
      await expectCall(202, "POST", "/api/users/email", {
        token: fresh.token,
        json: { newEmail, currentPassword: password },
      });
      await expectCall(400, "POST", "/api/users/email", {
        token: fresh.token,
        json: { newEmail, currentPassword: "wrong-password-1" },
      });
      const taken = await register();
      const takenEmail = (
        await expectCall<{ user: { email: string } }>(200, "GET", "/api/users/profile", {
          token: taken.token,
        })
      ).user.email;
      await expectCall(409, "POST", "/api/users/email", {
        token: fresh.token,
        json: { newEmail: takenEmail, currentPassword: password },
      });
      await expectCall(401, "POST", "/api/users/email", { json: { newEmail, currentPassword: password } });
    });

    it("password reset: 202, 204, 400", async () => {
      const fresh = await register();
      const { user } = await expectCall<{ user: { email: string } }>(200, "GET", "/api/users/profile", {
        token: fresh.token,
      });
      await expectCall(202, "POST", "/api/users/password/forgot", { json: { email: user.email } });
      await expectCall(400, "POST", "/api/users/password/forgot", { json: { email: "not-an-email" } });
      const { token } = await emailedLink(fresh.token, "user.password_reset_requested");
      await expectCall(400, "POST", "/api/users/password/reset", { json: { token, password: "short" } });
      await expectCall(204, "POST", "/api/users/password/reset", {
        json: { token, password: "a-new-password-2" },
      });
      await expectCall(400, "POST", "/api/users/password/reset", {
        json: { token, password: "a-new-password-3" },
      });
    });

    it("export and deletion: 200, 204, 400, 401", async () => {
      const fresh = await register();
      await expectCall(200, "GET", "/api/users/profile/export", { token: fresh.token });
      await expectCall(401, "GET", "/api/users/profile/export");
      await expectCall(400, "DELETE", "/api/users/profile", {
        token: fresh.token,
        json: { currentPassword: "wrong-password-1" },
      });
      await expectCall(401, "DELETE", "/api/users/profile", { json: { currentPassword: password } });
      await expectCall(204, "DELETE", "/api/users/profile", {
        token: fresh.token,
        json: { currentPassword: password },
      });
      await expectCall(401, "GET", "/api/users/profile/export", { token: fresh.token });
    });

    it("user admin: 200, 400, 401, 403, 404, 409", async () => {
      const listed = await expectCall<{ users: { id: string; email: string }[] }>(
        200,
        "GET",
        "/api/admin/users?search=admin%40example.com",
        { token: session.admin },
      );
      await expectCall(200, "GET", "/api/admin/users?role=user&limit=5", { token: session.admin });
      await expectCall(400, "GET", "/api/admin/users?limit=1000", { token: session.admin });
      await expectCall(401, "GET", "/api/admin/users");
      await expectCall(403, "GET", "/api/admin/users", { token: session.buyer.token });
      const self = listed.users[0]?.id ?? "";
      const target = (await register()).user.id;
      await expectCall(200, "PATCH", `/api/admin/users/${target}`, {
        token: session.admin,
        json: { disabled: true },
      });
      await expectCall(400, "PATCH", `/api/admin/users/${target}`, { token: session.admin, json: {} });
      await expectCall(404, "PATCH", "/api/admin/users/nobody", {
        token: session.admin,
        json: { role: "admin" },
      });
      await expectCall(409, "PATCH", `/api/admin/users/${self}`, {
        token: session.admin,
        json: { role: "user" },
      });
      await expectCall(401, "PATCH", `/api/admin/users/${target}`, { json: { disabled: false } });
      await expectCall(403, "PATCH", `/api/admin/users/${target}`, {
        token: session.buyer.token,
        json: { disabled: false },
      });
    });
  });
}
