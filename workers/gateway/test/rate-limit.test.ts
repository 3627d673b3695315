import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { freshIp, gateway } from "./helpers";

function login(ip: string) {
  return gateway("/api/users/login", {
    ip,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
}

describe("rate limiting", () => {
  it("allows exactly K of N parallel requests", async () => {
    const ip = freshIp();
    const responses = await Promise.all(Array.from({ length: 25 }, () => login(ip)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it("answers 429 as a problem with Retry-After and the RateLimit fields", async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) await login(ip);
    const refused = await login(ip);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("ratelimit-policy")).toBe('"auth";q=10;w=60');
    expect(refused.headers.get("ratelimit")).toMatch(/^"auth";r=0;t=\d+$/);
    expect(await refused.json()).toMatchObject({ status: 429, code: "rate_limited" });
  });

  it("puts the RateLimit fields on allowed responses", async () => {
    const ip = freshIp();
    const first = await gateway("/api/products", { ip });
    expect(first.headers.get("ratelimit-policy")).toBe('"default";q=1000;w=900');
    expect(first.headers.get("ratelimit")).toMatch(/^"default";r=999;t=\d+$/);
    const second = await gateway("/api/products", { ip });
    expect(second.headers.get("ratelimit")).toMatch(/^"default";r=998;t=\d+$/);
  });

  it("keeps the auth and default windows apart", async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) await login(ip);
    expect((await login(ip)).status).toBe(429);
    expect((await gateway("/api/products", { ip })).status).toBe(200);
  });

  it("does not share a window between two IPs", async () => {
    const a = freshIp();
    const b = freshIp();
    for (let i = 0; i < 10; i++) await login(a);
    expect((await login(a)).status).toBe(429);
    expect((await login(b)).status).toBe(200);
  });

  it("keeps its window when the object is evicted", async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) await login(ip);
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(ip));
    await evictDurableObject(stub);
    expect((await login(ip)).status).toBe(429);
  });
});

describe("rate-limit windows of refresh and of IPv6 clients", () => {
  function refresh(ip: string) {
    return gateway("/api/users/refresh", {
      ip,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
  }

  it("gives refresh its own policy: others' logins from the address never use it up", async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) await login(ip);
    expect((await login(ip)).status).toBe(429);
    const allowed = await refresh(ip);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("ratelimit-policy")).toBe('"refresh";q=30;w=60');
    const responses = await Promise.all(Array.from({ length: 35 }, () => refresh(ip)));
    expect(responses.filter((r) => r.status === 429)).toHaveLength(6);
  });

  it("counts every address of one IPv6 /64 in one window", async () => {
    const prefix = `2001:db8:${(Math.random() * 0xffff) | 0}:${(Math.random() * 0xffff) | 0}`.replace(
      /:(\d+)/g,
      (_, n: string) => `:${Number(n).toString(16)}`,
    );
    for (let i = 0; i < 10; i++) expect((await login(`${prefix}::${(i + 1).toString(16)}`)).status).toBe(200);
    expect((await login(`${prefix}:0:0:0:abcd`)).status).toBe(429);
    expect((await login(`${prefix.replace(/:[0-9a-f]+$/, ":ffff")}::1`)).status).toBe(200);
  });
});
