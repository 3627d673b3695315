// Contract scenarios: the gateway's own answers and the users service.
import { describe, expect, it } from "vitest";
import { freshIp } from "../client";
import { type Auth, call, expectCall, password, session } from "./session";

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
  });
}
