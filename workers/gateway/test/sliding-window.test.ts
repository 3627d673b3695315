import { describe, expect, it } from "vitest";
import { hit, parsePolicy, type WindowState } from "../src/rate-limit/sliding-window";

const policy = parsePolicy("test", "10/60");
const start = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);

function run(times: number, at: number, state?: WindowState) {
  let current = state;
  let allowed = 0;
  for (let i = 0; i < times; i++) {
    const result = hit(policy, current, at);
    current = result.state;
    if (result.decision.allowed) allowed++;
  }
  return { state: current, allowed };
}

describe("sliding window counter", () => {
  it("parses a policy and refuses nonsense", () => {
    expect(parsePolicy("auth", "10/60")).toEqual({ name: "auth", limit: 10, windowSeconds: 60 });
    expect(() => parsePolicy("auth", "ten per minute")).toThrow();
  });

  it("allows the limit within one window", () => {
    expect(run(15, start + 1000).allowed).toBe(10);
  });

  it("weights the previous window by how much of it still overlaps", () => {
    const full = run(10, start + 59_000).state;
    // A quarter into the next window, 75% of the previous 10 still count: 2 more fit (7.5 + 2 ≤ 10).
    expect(run(5, start + 60_000 + 15_000, full).allowed).toBe(2);
  });

  it("forgets windows older than the previous one", () => {
    const full = run(10, start).state;
    expect(run(10, start + 180_000, full).allowed).toBe(10);
  });

  it("tells a refused client when to come back", () => {
    const full = run(10, start + 30_000).state;
    const refused = hit(policy, full, start + 30_000).decision;
    expect(refused.allowed).toBe(false);
    expect(refused.remaining).toBe(0);
    expect(refused.resetSeconds).toBeGreaterThan(30);
    expect(refused.resetSeconds).toBeLessThanOrEqual(60);
  });
});
