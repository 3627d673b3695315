import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("products health", () => {
  it("answers OK with the request id it was given", async () => {
    const response = await exports.default.fetch("http://products/health", {
      headers: { "x-request-id": "req-1" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(await response.json()).toEqual({ status: "OK", service: "products" });
  });

  it("answers an unknown route with a 404 problem", async () => {
    const response = await exports.default.fetch("http://products/nope");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 404, code: "not_found" });
  });
});
