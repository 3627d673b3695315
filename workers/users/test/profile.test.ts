import { env } from "cloudflare:workers";
import type { TokenPair, User } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { call, caller, login, PASSWORD, registerUser } from "./helpers";

function patch(userId: string, body: unknown): Promise<Response> {
  return call("PATCH", "/api/users/profile", { as: caller(userId), body });
}

describe("GET /api/users/profile", () => {
  it("returns the caller's account", async () => {
    const { user } = await registerUser();
    const response = await call("GET", "/api/users/profile", { as: caller(user.id) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user });
  });

  it("answers 401 without the gateway's identity and 404 for a vanished account", async () => {
    expect((await call("GET", "/api/users/profile")).status).toBe(401);
    const response = await call("GET", "/api/users/profile", { as: caller("no-such-user") });
    expect(response.status).toBe(404);
  });
});

describe("PATCH /api/users/profile", () => {
  it("changes names, trimmed, and ignores email, role and id", async () => {
    const { user } = await registerUser();
    const response = await patch(user.id, {
      firstName: "  Grace ",
      lastName: "Hopper",
      role: "admin",
      email: "takeover@example.com",
      id: "other",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: { ...user, firstName: "Grace", lastName: "Hopper" } });
  });

  it.each([
    ["an empty body", {}, [""]],
    ["a blank name", { firstName: " " }, ["firstName"]],
    ["a new password without currentPassword", { newPassword: "new-password-1" }, ["currentPassword"]],
    ["a short new password", { currentPassword: PASSWORD, newPassword: "short" }, ["newPassword"]],
    [
      "password and newPassword that differ",
      { currentPassword: PASSWORD, newPassword: "new-password-1", password: "new-password-2" },
      ["newPassword"],
    ],
    ["only a role", { role: "admin" }, [""]],
  ])("answers 400 with errors[] for %s", async (_what, body, paths) => {
    const { user } = await registerUser();
    const response = await patch(user.id, body);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors.map((e) => e.path)).toEqual(paths);
  });

  it("changes the password given the current one and revokes every session", async () => {
    const { email, user, refreshToken } = await registerUser();
    const other = ((await (await login(email, PASSWORD)).json()) as TokenPair).refreshToken;

    const response = await patch(user.id, { currentPassword: PASSWORD, newPassword: "brand-new-password" });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { user: User }).user).toEqual(user);

    for (const token of [refreshToken, other]) {
      const refreshed = await call("POST", "/api/users/refresh", { body: { refreshToken: token } });
      expect(refreshed.status).toBe(401);
    }
    expect((await login(email, PASSWORD)).status).toBe(401);
    expect((await login(email, "brand-new-password")).status).toBe(200);
  });

  it("accepts the new password as `password` too", async () => {
    const { email, user } = await registerUser();
    expect((await patch(user.id, { currentPassword: PASSWORD, password: "tutorial-style-pw" })).status).toBe(
      200,
    );
    expect((await login(email, "tutorial-style-pw")).status).toBe(200);
  });

  it("refuses a wrong current password with 400 and changes nothing", async () => {
    const { email, user, refreshToken } = await registerUser();
    const response = await patch(user.id, {
      currentPassword: "not-my-password",
      newPassword: "brand-new-password",
      firstName: "Mallory",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: "invalid_current_password",
      errors: [{ path: "currentPassword" }],
    });
    expect((await login(email, PASSWORD)).status).toBe(200);
    const row = await env.DB.prepare("SELECT first_name FROM users WHERE id = ?").bind(user.id).first();
    expect(row).toEqual({ first_name: "Ada" });
    const refreshed = await call("POST", "/api/users/refresh", { body: { refreshToken } });
    expect(refreshed.status).toBe(200);
  });

  it("answers 401 without the gateway's identity", async () => {
    expect((await call("PATCH", "/api/users/profile", { body: { firstName: "X" } })).status).toBe(401);
  });
});
