import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("notifications health", () => {
  it("answers OK with the request id it was given", async () => {
    const response = await exports.default.fetch("http://notifications/health", {
      headers: { "x-request-id": "req-1" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(await response.json()).toEqual({ status: "OK", service: "notifications" });
  });

  it("answers an unknown route with a 404 problem", async () => {
    const response = await exports.default.fetch("http://notifications/nope");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 404, code: "not_found" });
  });
});

describe("notifications OpenAPI document", () => {
  it("describes the list and preferences routes with bearer auth", async () => {
    const response = await exports.default.fetch("http://notifications/openapi.json");
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { paths: Record<string, Record<string, { security?: unknown }>> };
    expect(Object.keys(doc.paths).sort()).toEqual(["/api/notifications", "/api/notifications/preferences"]);
    expect(Object.keys(doc.paths["/api/notifications/preferences"] ?? {}).sort()).toEqual(["get", "patch"]);
    expect(doc.paths["/api/notifications"]?.get?.security).toEqual([{ bearerAuth: [] }]);
  });
});
