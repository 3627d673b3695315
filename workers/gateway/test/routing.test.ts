import { describe, expect, it } from "vitest";
import { templateOf } from "../src/route-templates";
import { type Echo, gateway, signToken } from "./helpers";

describe("routing", () => {
  it.each([
    ["GET", "/api/products?page=2", "products"],
    ["GET", "/api/products/p1", "products"],
    ["GET", "/api/categories", "products"],
    ["POST", "/api/users/register", "users"],
    ["POST", "/api/users/login", "users"],
    ["GET", "/.well-known/jwks.json", "users"],
    ["POST", "/api/payments/webhook", "payments"],
    // The simulator's card authentication page and its forms: a browser brings no token.
    ["GET", "/api/payments/simulator/3ds/pay-1", "payments"],
    ["POST", "/api/payments/simulator/3ds/pay-1/complete", "payments"],
    ["POST", "/api/payments/simulator/3ds/pay-1/fail", "payments"],
    ["POST", "/api/carts", "carts"],
    ["GET", "/api/carts/c1", "carts"],
    ["POST", "/api/carts/c1/items", "carts"],
    ["PATCH", "/api/carts/c1/items/p1", "carts"],
    ["DELETE", "/api/carts/c1/items/p1", "carts"],
  ])("forwards %s %s to %s, path and query unchanged", async (method, path, service) => {
    const response = await gateway(path, {
      method,
      ...(method === "POST" ? { body: "{}", headers: { "content-type": "application/json" } } : {}),
    });
    expect(response.status).toBe(200);
    if (path.startsWith("/.well-known")) return;
    const echo = (await response.json()) as Echo;
    expect(echo.service).toBe(service);
    expect(echo.path + echo.query).toBe(path);
  });

  it.each([
    ["/api/orders", "orders"],
    ["/api/payments?orderId=o1", "payments"],
    ["/api/notifications", "notifications"],
    ["/api/users/profile", "users"],
    ["/api/cart", "carts"],
  ])("forwards an authenticated %s to %s", async (path, service) => {
    const response = await gateway(path, { headers: { authorization: `Bearer ${await signToken()}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Echo).service).toBe(service);
  });

  it("sends an order's refunds to payments, for admins only", async () => {
    const path = "/api/orders/o1/refunds";
    expect((await gateway(path, { method: "POST" })).status).toBe(401);
    const asUser = await gateway(path, {
      method: "POST",
      headers: { authorization: `Bearer ${await signToken()}` },
    });
    expect(asUser.status).toBe(403);
    const asAdmin = await gateway(path, {
      method: "POST",
      headers: { authorization: `Bearer ${await signToken({ sub: "admin-1", role: "admin" })}` },
    });
    expect(((await asAdmin.json()) as Echo).service).toBe("payments");
  });

  it("keeps the rest of /api/payments for signed-in users", async () => {
    expect((await gateway("/api/payments/simulator/3ds/pay-1/refund", { method: "POST" })).status).toBe(401);
    expect((await gateway("/api/payments/simulator/3ds/pay-1", { method: "POST" })).status).toBe(401);
  });

  it("needs a token for the caller's own cart and for a claim, not for a guest cart", async () => {
    expect((await gateway("/api/cart")).status).toBe(401);
    expect((await gateway("/api/carts/c1/claim", { method: "POST" })).status).toBe(401);
    const claimed = await gateway("/api/carts/c1/claim", {
      method: "POST",
      headers: { authorization: `Bearer ${await signToken()}` },
    });
    expect(((await claimed.json()) as Echo).service).toBe("carts");
    // A token sent to a guest route is verified and forwarded, so carts knows who is asking.
    const signed = await gateway("/api/carts/c1", {
      headers: { authorization: `Bearer ${await signToken()}` },
    });
    expect(((await signed.json()) as Echo).headers["x-identity"]).toBeTruthy();
  });

  it("answers an unknown route with a 404 problem and never calls a service", async () => {
    const response = await gateway("/api/nothing-here");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 404, code: "not_found", title: expect.any(String) });
    expect(body.requestId).toBe(response.headers.get("x-request-id"));
  });

  it("passes a service's problem response through unchanged", async () => {
    const response = await gateway("/api/products/teapot");
    expect(response.status).toBe(418);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ code: "teapot", detail: "short and stout" });
  });

  it("passes a service's redirect to the client instead of following it", async () => {
    const response = await gateway("/api/products/moved", { redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/#/there");
  });

  it("turns a crashing service into a 502 problem", async () => {
    const response = await gateway("/api/products/boom");
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ status: 502, code: "service_unavailable" });
  });

  it("turns a service that does not answer in time into a 504 problem", async () => {
    const response = await gateway("/api/products/slow");
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ status: 504, code: "service_timeout" });
  });
});

describe("request ids", () => {
  it("keeps a well-formed client request id and passes it to the service", async () => {
    const response = await gateway("/api/products", { headers: { "x-request-id": "client-abc_123" } });
    expect(response.headers.get("x-request-id")).toBe("client-abc_123");
    expect(((await response.json()) as Echo).headers["x-request-id"]).toBe("client-abc_123");
  });

  it("replaces a malformed request id with a generated one", async () => {
    const response = await gateway("/api/products", { headers: { "x-request-id": "bad id\twith spaces" } });
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await response.json()) as Echo).headers["x-request-id"]).toBe(id);
  });
});

describe("bodies", () => {
  it("refuses malformed JSON with a 400 problem", async () => {
    const response = await gateway("/api/users/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 400, code: "malformed_json" });
  });

  it("refuses a body over 1 MiB with a 413 problem", async () => {
    const response = await gateway("/api/users/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ filler: "x".repeat(1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("forwards a JSON body intact", async () => {
    const body = JSON.stringify({ email: "a@example.com", password: "pässword" });
    const response = await gateway("/api/users/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(((await response.json()) as Echo).body).toBe(body);
  });
});

describe("CORS and security headers", () => {
  it("allows a listed origin, with exposed headers", async () => {
    const response = await gateway("/api/products", { headers: { origin: "http://localhost:5173" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(response.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
  });

  it("answers a preflight from a listed origin", async () => {
    const response = await gateway("/api/orders", {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:8787",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,idempotency-key,content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:8787");
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("idempotency-key");
  });

  it("passes the D1 bookmarks both ways, and lets a listed origin send and read them", async () => {
    for (const [path, header] of [
      ["/api/products", "X-Catalog-Bookmark"],
      ["/api/categories", "X-Catalog-Bookmark"],
      ["/api/orders", "X-Orders-Bookmark"],
    ] as const) {
      const sent = "00000001-00000002-00004fd9-7a1d0b2c";
      const response = await gateway(path, {
        headers: {
          origin: "http://localhost:5173",
          authorization: `Bearer ${await signToken()}`,
          [header]: sent,
        },
      });
      expect(((await response.json()) as Echo).headers[header.toLowerCase()]).toBe(sent);
      expect(response.headers.get(header)).toBe(sent);
      expect(response.headers.get("access-control-expose-headers")).toContain(header);
      const preflight = await gateway(path, {
        method: "OPTIONS",
        headers: {
          origin: "http://localhost:5173",
          "access-control-request-method": "GET",
          "access-control-request-headers": header.toLowerCase(),
        },
      });
      expect(preflight.headers.get("access-control-allow-headers")).toContain(header);
    }
  });

  it("gives an unlisted origin no CORS headers", async () => {
    const response = await gateway("/api/products", { headers: { origin: "https://evil.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("sets secure headers on every response, errors included", async () => {
    for (const path of ["/api/products", "/api/nothing-here"]) {
      const response = await gateway(path);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("strict-transport-security")).toBeTruthy();
      expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    }
  });
});

describe("path templates (logs and metrics)", () => {
  it.each([
    ["/api/cart", "/api/cart"],
    ["/api/carts/0a1b/items", "/api/carts/:id/items"],
    ["/api/carts/0a1b/items/p-1", "/api/carts/:id/items/:productId"],
    ["/api/carts/0a1b/claim", "/api/carts/:id/claim"],
  ])("names %s as %s", (path, template) => {
    expect(templateOf(path)).toBe(template);
  });
});
