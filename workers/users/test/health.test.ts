import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("users health", () => {
  it("answers OK with the request id it was given", async () => {
    const response = await exports.default.fetch("http://users/health", {
      headers: { "x-request-id": "req-1" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(await response.json()).toEqual({ status: "OK", service: "users" });
  });

  it("answers an unknown route with a 404 problem", async () => {
    const response = await exports.default.fetch("http://users/nope");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 404, code: "not_found" });
  });
});

describe("users OpenAPI document", () => {
  it("describes every public route, with bearer auth where a user is needed", async () => {
    const response = await exports.default.fetch("http://users/openapi.json");
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/.well-known/jwks.json",
      "/api/admin/users",
      "/api/admin/users/{id}",
      "/api/users/email",
      "/api/users/login",
      "/api/users/logout",
      "/api/users/password/forgot",
      "/api/users/password/reset",
      "/api/users/profile",
      "/api/users/refresh",
      "/api/users/register",
      "/api/users/verify-email",
      "/api/users/verify-email/request",
    ]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/api/users/profile"]?.get?.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths["/api/users/login"]?.post?.security).toBeUndefined();
    expect(doc.paths["/api/users/password/forgot"]?.post?.security).toBeUndefined();
    expect(doc.paths["/api/admin/users"]?.get?.security).toEqual([{ bearerAuth: [] }]);
  });
});
