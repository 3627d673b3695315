import { describe, expect, it } from "vitest";
import { type Echo, gateway, signToken } from "./helpers";

const bearer = async (sub = "user-42", role = "user") => ({
  authorization: `Bearer ${await signToken({ sub, role })}`,
});

describe("account routes", () => {
  it.each(["/api/users/password/forgot", "/api/users/password/reset", "/api/users/verify-email"])(
    "forwards POST %s without a token, under the auth rate limit",
    async (path) => {
      const response = await gateway(path, {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as Echo).service).toBe("users");
      expect(response.headers.get("ratelimit-policy")).toBe('"auth";q=10;w=60');
    },
  );

  it.each([
    ["POST", "/api/users/verify-email/request"],
    ["POST", "/api/users/email"],
    ["DELETE", "/api/users/profile"],
  ])("forwards %s %s to users for a signed-in caller only", async (method, path) => {
    expect((await gateway(path, { method })).status).toBe(401);
    const response = await gateway(path, { method, headers: await bearer() });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Echo).service).toBe("users");
  });

  it.each([
    ["GET", "/api/admin/users?search=ada"],
    ["PATCH", "/api/admin/users/user-7"],
  ])("forwards %s %s to users for an admin; 401 anonymous, 403 for a user", async (method, path) => {
    expect((await gateway(path, { method })).status).toBe(401);
    expect((await gateway(path, { method, headers: await bearer() })).status).toBe(403);
    const response = await gateway(path, { method, headers: await bearer("admin-1", "admin") });
    expect(response.status).toBe(200);
    const echo = (await response.json()) as Echo;
    expect(echo.service).toBe("users");
    expect(echo.path + echo.query).toBe(path);
  });
});

describe("GET /api/users/profile/export", () => {
  it("gathers the caller's records from every service, as the caller, never cached", async () => {
    expect((await gateway("/api/users/profile/export")).status).toBe(401);
    const response = await gateway("/api/users/profile/export", { headers: await bearer("user-99") });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-disposition")).toContain("attachment");
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      "carts",
      "notifications",
      "orders",
      "payments",
      "preferences",
      "user",
    ]);
    expect(body).toMatchObject({
      user: { id: "user-99", emailVerified: true },
      orders: [{ id: "order-1", userId: "user-99" }],
      payments: [{ id: "pay-1" }],
      notifications: [{ id: "n-1" }],
      preferences: { email: true, sms: false, phone: null },
      carts: [{ userId: "user-99", items: [{ productId: "p1", quantity: 1 }] }],
    });
  });

  it("is 401 when the account no longer exists", async () => {
    const response = await gateway("/api/users/profile/export", {
      headers: { ...(await bearer()), "x-request-id": "gone-1" },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "unauthorized" });
  });

  it.each(["payments", "carts"])(
    "fails as a whole (502) when one service (%s) cannot export, rather than leave data out",
    async (service) => {
      const response = await gateway("/api/users/profile/export", {
        headers: { ...(await bearer()), "x-request-id": `fail-export-${service}` },
      });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ code: "service_unavailable" });
    },
  );
});
