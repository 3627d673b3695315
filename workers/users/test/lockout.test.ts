import { describe, expect, it } from "vitest";
import { isLocked, lockDurationMs } from "../src/domain/lockout";

describe("lockout policy", () => {
  it("allows 4 failures, then locks 1 minute, doubling up to 15 minutes", () => {
    expect([1, 2, 3, 4].map(lockDurationMs)).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9].map((n) => lockDurationMs(n) / 60_000)).toEqual([1, 2, 4, 8, 15]);
    expect(lockDurationMs(10_000)).toBe(15 * 60_000);
  });

  it("expires", () => {
    const now = Date.now();
    expect(isLocked(null, now)).toBe(false);
    expect(isLocked(now + 1, now)).toBe(true);
    expect(isLocked(now, now)).toBe(false);
  });
});
