import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { clearHealthCache } from "../src/health";
import worker from "../src/index";
import { SERVICES } from "../src/services";
import { freshIp } from "./helpers";

const ALL_OK = Object.fromEntries(SERVICES.map((name) => [name, "OK"]));

async function healthWith(overrides: Partial<Env>, path = "/health", ip = freshIp()): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`http://localhost${path}`, { headers: { "cf-connecting-ip": ip } }),
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const broken = { fetch: () => Promise.reject(new Error("down")) } as unknown as Fetcher;
const hanging = { fetch: () => new Promise<Response>(() => {}) } as unknown as Fetcher;

describe("GET /health", () => {
  beforeEach(() => {
    clearHealthCache();
  });

  it("answers OK with every service's status", async () => {
    const response = await exports.default.fetch("http://localhost/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "OK", services: ALL_OK });
  });

  it("answers DEGRADED when a service fails or hangs", async () => {
    const response = await healthWith({ ORDERS: broken, PAYMENTS: hanging });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: "DEGRADED",
      services: { ...ALL_OK, orders: "DOWN", payments: "DOWN" },
    });
  });

  it("answers from this isolate's last answer for a short while, asking the services once", async () => {
    let calls = 0;
    const counting = {
      fetch: async () => {
        calls++;
        return Response.json({ status: "OK" });
      },
    } as unknown as Fetcher;
    const answers = await Promise.all(Array.from({ length: 5 }, () => healthWith({ ORDERS: counting })));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(calls).toBe(1);
    // Orders breaks: the cached answer stands until it is a couple of seconds old (here: forgotten at once).
    expect((await healthWith({ ORDERS: broken })).status).toBe(200);
    clearHealthCache();
    expect((await healthWith({ ORDERS: broken })).status).toBe(503);
  });

  it("is counted by the default rate limit, with its fields and a 429 when over", async () => {
    const ip = freshIp();
    const first = await healthWith({ RATE_LIMIT_DEFAULT: "2/60" }, "/health", ip);
    expect(first.headers.get("ratelimit-policy")).toBe('"default";q=2;w=60');
    expect(first.headers.get("ratelimit")).toMatch(/^"default";r=1;t=\d+$/);
    expect((await healthWith({ RATE_LIMIT_DEFAULT: "2/60" }, "/openapi.json", ip)).status).toBe(200);
    const refused = await healthWith({ RATE_LIMIT_DEFAULT: "2/60" }, "/health", ip);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: "rate_limited" });
  });

  it("ignores a token: a bad one does not turn it into a 401", async () => {
    const response = await exports.default.fetch("http://localhost/health", {
      headers: { authorization: "Bearer not-a-token", "cf-connecting-ip": freshIp() },
    });
    expect(response.status).toBe(200);
  });
});
