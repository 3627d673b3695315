import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("orders health", () => {
  it("answers OK with the request id it was given", async () => {
    const response = await exports.default.fetch("http://orders/health", {
      headers: { "x-request-id": "req-1" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(await response.json()).toEqual({ status: "OK", service: "orders" });
  });

  it("answers an unknown route with a 404 problem", async () => {
    const response = await exports.default.fetch("http://orders/nope");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 404, code: "not_found" });
  });
});

describe("orders OpenAPI document", () => {
  it("describes every order route, with the Idempotency-Key header on POST /api/orders", async () => {
    const response = await exports.default.fetch("http://orders/openapi.json");
    expect(response.status, await response.clone().text()).toBe(200);
    const doc = (await response.json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/api/orders",
        "/api/orders/{id}",
        "/api/orders/{id}/cancel",
        "/api/orders/{id}/status",
        "/api/shipping-options",
        "/api/promotions/{code}",
        "/api/admin/promotions",
        "/api/admin/promotions/{code}",
      ].sort(),
    );
    expect(doc.paths["/api/orders"]?.post?.parameters).toContainEqual(
      expect.objectContaining({ name: "idempotency-key", in: "header" }),
    );
  });
});
