import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { leaseCap, takePermit } from "../src/rate-limit/leases";
import type { Policy } from "../src/rate-limit/sliding-window";
import { freshIp } from "./helpers";

// The client's real RateLimiter object, behind a counter of the calls made to it.
function countedLimiter(ip: string) {
  const calls = { count: 0 };
  const id = env.RATE_LIMITER.idFromName(ip);
  const limiter = () => {
    calls.count++;
    return env.RATE_LIMITER.get(id);
  };
  return { calls, limiter };
}

const policy = (limit: number, windowSeconds = 900): Policy => ({ name: "default", limit, windowSeconds });

describe("leased rate-limit permits", () => {
  afterEach(() => vi.useRealTimers());

  it("sizes leases at 1 % of the limit, between 1 and 64", () => {
    expect(leaseCap(policy(10))).toBe(1);
    expect(leaseCap(policy(1000))).toBe(10);
    expect(leaseCap(policy(1_000_000))).toBe(64);
  });

  it("calls the object once per lease, not per request, for a busy client", async () => {
    const ip = freshIp();
    const { calls, limiter } = countedLimiter(ip);
    const decisions = [];
    for (let i = 0; i < 100; i++) decisions.push(await takePermit(ip, policy(1000), limiter));
    expect(decisions.every((d) => d.allowed)).toBe(true);
    // Leases of 1, 2, 4, 8 permits, then 10 at a time.
    expect(calls.count).toBeLessThanOrEqual(14);
    // The RateLimit field counts down one per request, lease or not.
    expect(decisions.map((d) => d.remaining)).toEqual(Array.from({ length: 100 }, (_, i) => 999 - i));
  });

  it("counts a small policy exactly, one object call per request", async () => {
    const ip = freshIp();
    const { calls, limiter } = countedLimiter(ip);
    const decisions = await Promise.all(
      Array.from({ length: 25 }, () => takePermit(ip, policy(10, 60), limiter)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(calls.count).toBeLessThanOrEqual(11);
  });

  it("never lets more than the limit through, whatever the isolates lease between them", async () => {
    const ip = freshIp();
    const { limiter } = countedLimiter(ip);
    // Two leases of one object, as two isolates of the gateway would hold them.
    const isolates = [`${ip}#a`, `${ip}#b`];
    let allowed = 0;
    for (let i = 0; i < 1300; i++) {
      if ((await takePermit(isolates[i % 2] ?? ip, policy(1000, 60), limiter)).allowed) allowed++;
    }
    expect(allowed).toBeLessThanOrEqual(1000);
    // At most the two leases' last permits (10 each) are left unspent.
    expect(allowed).toBeGreaterThanOrEqual(1000 - 2 * leaseCap(policy(1000)));
  });

  it("asks the object again once a lease is a second old", async () => {
    const ip = freshIp();
    const { calls, limiter } = countedLimiter(ip);
    for (let i = 0; i < 8; i++) await takePermit(ip, policy(1000), limiter);
    const before = calls.count;
    await takePermit(ip, policy(1000), limiter);
    expect(calls.count).toBe(before);
    vi.useFakeTimers({ now: Date.now() + 1500, toFake: ["Date"] });
    await takePermit(ip, policy(1000), limiter);
    expect(calls.count).toBe(before + 1);
  });
});
