import { describe, expect, it } from "vitest";
import { discountOf, orderTotals, roundHalfUp } from "../src/domain/totals";

/** A small seeded PRNG (mulberry32): the same random carts on every run, any failure reproducible. */
function random(seed: number) {
  let a = seed;
  return (max: number) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * max);
  };
}

describe("order totals (property)", () => {
  it("total = subtotal − discount + shipping + tax, integers, never negative, over 20,000 random carts", () => {
    const next = random(22);
    for (let run = 0; run < 20_000; run++) {
      const lines = Array.from({ length: 1 + next(8) }, () => (1 + next(100)) * next(50_000));
      const subtotal = lines.reduce((a, b) => a + b, 0);
      const discount =
        next(3) === 0
          ? undefined
          : next(2) === 0
            ? { type: "percentage" as const, value: 1 + next(100) }
            : { type: "fixed" as const, value: 1 + next(200_000) };
      const shipping = [0, 499, 1499][next(3)] ?? 0;
      const taxRateBp = [0, 1900, 2000, 2100, 2500, 777][next(6)] ?? 0;
      const t = orderTotals({ subtotal, discount, shipping, taxRateBp });
      const figures = [t.subtotal, t.discountTotal, t.shippingTotal, t.taxTotal, t.total];
      for (const figure of figures) {
        expect(Number.isSafeInteger(figure)).toBe(true);
        expect(figure).toBeGreaterThanOrEqual(0);
      }
      expect(t.total).toBe(t.subtotal - t.discountTotal + t.shippingTotal + t.taxTotal);
      expect(t.discountTotal).toBeLessThanOrEqual(t.subtotal);
      // Tax is the rate on subtotal − discount + shipping, rounded half-up once.
      const exact = ((t.subtotal - t.discountTotal + t.shippingTotal) * taxRateBp) / 10_000;
      expect(Math.abs(t.taxTotal - exact)).toBeLessThanOrEqual(0.5);
      if (exact - Math.floor(exact) === 0.5) expect(t.taxTotal).toBe(Math.ceil(exact));
    }
  });

  it("rounds half-up exactly, without floating point", () => {
    expect(roundHalfUp(15, 10)).toBe(2); // 1.5
    expect(roundHalfUp(14, 10)).toBe(1);
    expect(roundHalfUp(2500 * 1900, 10_000)).toBe(475);
    expect(roundHalfUp(1 * 5000, 10_000)).toBe(1); // 0.5 → 1
    expect(discountOf({ type: "percentage", value: 15 }, 1010)).toBe(152); // 151.5
    expect(discountOf({ type: "fixed", value: 900 }, 500)).toBe(500);
  });
});
