import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: unknown[] }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

describe("GET /openapi.json", () => {
  it("merges every service's paths with the gateway's own, without internal routes", async () => {
    const response = await exports.default.fetch("http://localhost/openapi.json");
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Doc;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/notifications",
      "/api/orders",
      "/api/payments",
      "/api/products",
      "/api/users",
      "/health",
    ]);
    expect(doc.components.schemas).toHaveProperty("ordersThing");
    expect(doc.components.schemas).toHaveProperty("Problem");
    expect(doc.components.securitySchemes).toHaveProperty("bearerAuth");
  });

  it("describes what the gateway adds: rate limits, request ids, 401 on secured operations", async () => {
    const doc = (await (await exports.default.fetch("http://localhost/openapi.json")).json()) as Doc;
    const operation = doc.paths["/api/orders"]?.get;
    expect(operation?.responses).toHaveProperty("429");
    expect(operation?.responses).toHaveProperty("401");
    expect(JSON.stringify(operation?.responses["200"])).toContain("RateLimit-Policy");
    expect(operation?.parameters).toContainEqual({ $ref: "#/components/parameters/X-Request-Id" });
  });
});

describe("GET /docs", () => {
  it("serves the interactive reference pointing at /openapi.json", async () => {
    const response = await exports.default.fetch("http://localhost/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("/openapi.json");
  });
});
