import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mergeDocuments } from "../src/openapi/merge";

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
      "/api/admin/dead-letters",
      "/api/admin/dead-letters/{id}/replay",
      "/api/admin/status",
      "/api/carts",
      "/api/notifications",
      "/api/orders",
      "/api/payments",
      "/api/products",
      "/api/users",
      "/api/users/profile/export",
      "/health",
      "/media/{key}",
    ]);
    expect(doc.components.schemas).toHaveProperty("ordersThing");
    expect(doc.components.schemas).toHaveProperty("Problem");
    expect(doc.components.securitySchemes).toHaveProperty("bearerAuth");
  }, 20_000); // the first request starts the six stub services

  it("describes the admin routes as admin-only, rate-limited operations of the gateway", async () => {
    const doc = (await (await exports.default.fetch("http://localhost/openapi.json")).json()) as Doc;
    const status = doc.paths["/api/admin/status"]?.get;
    expect(status?.responses).toHaveProperty("403");
    expect(status?.responses).toHaveProperty("429");
    expect(JSON.stringify(status?.responses["200"])).toContain("RateLimit-Policy");
    expect(Object.keys(doc.paths).some((path) => path.startsWith("/internal"))).toBe(false);
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
  it("serves the interactive reference from this origin only, under a CSP without inline scripts", async () => {
    const response = await exports.default.fetch("http://localhost/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const page = await response.text();
    const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual([
      "/vendor/swagger-ui/swagger-ui.css",
      "/vendor/swagger-ui/swagger-ui-bundle.js",
      "/js/api-docs.js",
    ]);
    expect(page).not.toMatch(/<script>|<script [^>]*>[^<]/);
    const csp = response.headers.get("content-security-policy") ?? "";
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1];
    expect(scriptSrc).toBe("'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/https?:/);
  });
});

describe("mergeDocuments", () => {
  const gateway = {
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: { "/health": { get: { responses: { 200: { description: "ok" } } } } },
  };
  const service = {
    openapi: "3.1.0",
    paths: {
      "/api/products/{id}": {
        get: { responses: { 200: { description: "ok" } } },
        delete: { security: [{ bearerAuth: [] }], responses: { 204: { description: "gone" } } },
      },
      "/api/orders/{id}/cancel": { post: { operationId: "cancelOrder", responses: {} } },
      "/api/orders": {
        post: {
          parameters: [{ name: "idempotency-key", in: "header", required: true, schema: { type: "string" } }],
          responses: { 201: { description: "created" }, 409: { description: "in flight" } },
        },
      },
      "/api/secret": { get: { responses: { 200: { description: "not routed" } } } },
      "/health": { get: { responses: { 200: { description: "internal" } } } },
    },
  };
  type Op = {
    operationId?: string;
    security?: unknown[];
    responses: Record<string, { headers?: Record<string, unknown> }>;
  };
  const merged = mergeDocuments(gateway, [service]) as { paths: Record<string, Record<string, Op>> };
  const op = (path: string, method: string) => merged.paths[path]?.[method] as Op;

  it("drops what no gateway rule forwards, and the services' internal routes", () => {
    expect(Object.keys(merged.paths).sort()).toEqual([
      "/api/orders",
      "/api/orders/{id}/cancel",
      "/api/products/{id}",
      "/health",
    ]);
    expect(op("/health", "get").responses["200"]).toMatchObject({ description: "ok" });
  });

  it("takes security from the gateway's rules: public is explicit, admin adds 403", () => {
    expect(op("/api/products/{id}", "get").security).toEqual([]);
    expect(op("/api/products/{id}", "get").responses).not.toHaveProperty("403");
    expect(op("/api/products/{id}", "delete").security).toEqual([{ bearerAuth: [] }]);
    expect(op("/api/products/{id}", "delete").responses).toHaveProperty("403");
    expect(op("/api/orders/{id}/cancel", "post").security).toEqual([{ bearerAuth: [] }]);
  });

  it("names every operation, keeping a service's own operationId", () => {
    expect(op("/api/products/{id}", "get").operationId).toBe("getProductsById");
    expect(op("/api/orders/{id}/cancel", "post").operationId).toBe("cancelOrder");
    expect(op("/health", "get").operationId).toBe("getHealth");
  });

  it("adds gateway answers to forwarded operations only", () => {
    const forwarded = op("/api/products/{id}", "get").responses;
    for (const status of ["401", "413", "429", "500", "502", "503", "504"])
      expect(forwarded).toHaveProperty(status);
    expect(forwarded["200"]?.headers).toHaveProperty("RateLimit");
    expect(forwarded["401"]?.headers).toHaveProperty("WWW-Authenticate");
    const replayed = op("/api/orders", "post").responses;
    expect(replayed["201"]?.headers).toHaveProperty("Idempotent-Replayed");
    expect(replayed["409"]?.headers).toHaveProperty("Idempotent-Replayed");
    expect(replayed["502"]?.headers).not.toHaveProperty("Idempotent-Replayed");
    expect(forwarded["200"]?.headers).not.toHaveProperty("Idempotent-Replayed");
    // The gateway's own /health: rate limited, but never asks for a token nor reaches a service.
    const health = op("/health", "get").responses;
    expect(Object.keys(health)).toEqual(["200", "429"]);
    expect(health["200"]?.headers).toEqual({
      "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" },
      RateLimit: { $ref: "#/components/headers/RateLimit" },
      "RateLimit-Policy": { $ref: "#/components/headers/RateLimit-Policy" },
    });
  });
});
