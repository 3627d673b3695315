import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { SERVICES } from "../src/services";

describe("GET /health", () => {
  it("answers OK with every service's status", async () => {
    const response = await exports.default.fetch("http://localhost/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "OK",
      services: Object.fromEntries(SERVICES.map((name) => [name, "OK"])),
    });
  });

  it("answers DEGRADED when a service fails or hangs", async () => {
    const broken = { fetch: () => Promise.reject(new Error("down")) } as unknown as Fetcher;
    const hanging = { fetch: () => new Promise<Response>(() => {}) } as unknown as Fetcher;
    const ctx = createExecutionContext();
    const response = await worker.fetch(
      new Request("http://localhost/health"),
      { ...env, ORDERS: broken, PAYMENTS: hanging },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: "DEGRADED",
      services: {
        users: "OK",
        products: "OK",
        orders: "DOWN",
        payments: "DOWN",
        notifications: "OK",
        carts: "OK",
      },
    });
  });
});
