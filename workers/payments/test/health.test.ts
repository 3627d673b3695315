import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("payments health", () => {
  it("answers OK with the request id it was given", async () => {
    const response = await exports.default.fetch("http://payments/health", {
      headers: { "x-request-id": "req-1" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(await response.json()).toEqual({ status: "OK", service: "payments" });
  });

  it("answers an unknown route with a 404 problem", async () => {
    const response = await exports.default.fetch("http://payments/nope");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 404, code: "not_found" });
  });
});

describe("payments OpenAPI document", () => {
  it("describes its operations with their problem responses", async () => {
    const response = await exports.default.fetch("http://payments/openapi.json");
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { paths: Record<string, Record<string, { responses: object }>> };
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/orders/{id}/refunds",
      "/api/payments",
      "/api/payments/simulator/3ds/{paymentId}",
      "/api/payments/simulator/3ds/{paymentId}/{outcome}",
      "/api/payments/webhook",
    ]);
    expect(Object.keys(doc.paths["/api/payments"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(doc.paths["/api/payments"]?.post?.responses).toHaveProperty("409");
    expect(doc.paths["/api/payments/webhook"]?.post?.responses).toHaveProperty("401");
    expect(Object.keys(doc.paths["/api/orders/{id}/refunds"] ?? {}).sort()).toEqual(["get", "post"]);
  });
});
