import { SERVICES } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { api, expectJson, freshIp } from "./client";

describe("the running shop, through the gateway", () => {
  it("is healthy: every service answers OK", async () => {
    const body = await expectJson(await api("/health"), 200);
    expect(body).toEqual({
      status: "OK",
      services: Object.fromEntries(SERVICES.map((name) => [name, "OK"])),
    });
  });

  it("answers an unknown route with a 404 problem carrying the request id", async () => {
    const response = await api("/api/unknown", { headers: { "x-request-id": "e2e-req-1" } });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("x-request-id")).toBe("e2e-req-1");
    expect(await response.json()).toMatchObject({ status: 404, requestId: "e2e-req-1" });
  });

  it("refuses malformed JSON with a 400 problem", async () => {
    const response = await api("/api/users/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "malformed_json" });
  });

  it("answers 401 without a token on a user route", async () => {
    const response = await api("/api/orders");
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("limits auth endpoints per IP with the IETF fields and Retry-After", async () => {
    const ip = freshIp();
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => api("/api/users/login", { method: "POST", ip, json: {} })),
    );
    const refused = responses.filter((r) => r.status === 429);
    expect(refused).toHaveLength(2);
    const first = refused[0];
    expect(first?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(first?.headers.get("ratelimit-policy")).toBe('"auth";q=10;w=60');
    expect(responses.find((r) => r.status !== 429)?.headers.get("ratelimit")).toMatch(/^"auth";r=\d+;t=\d+$/);
  });

  it("allows a listed origin and sets secure headers", async () => {
    const response = await api("/health", { headers: { origin: "http://localhost:5173" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
