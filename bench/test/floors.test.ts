import { describe, expect, it } from "vitest";
import { averageOf, floorOf, formulaText, MISS_EXTRA, withMisses } from "../lib/floors.ts";

// The arithmetic of the bench's floors (the speeds themselves are never asserted anywhere).

describe("a floor with the cache misses a run saw", () => {
  const costs = { hono: 100, hop: 200, kv: 400, d1Page: 700, d1Read: 600, kvPut: 800 };
  const floor = { hono: 1, hop: 1, kv: 1 };
  // A mix of four reads: two lists, one product page, one category list (not charged for its misses).
  const missExtra = {
    list: { d1Page: 0.5, kvPut: 0.5 },
    detail: { d1Read: 0.25, kvPut: 0.25 },
  };

  it("adds each read's miss extra in the share of its responses that missed", () => {
    const cache = {
      list: { hit: 90, miss: 10 },
      detail: { hit: 100, miss: 0 },
      categories: { hit: 0, miss: 5 },
    };
    const seen = withMisses(floor, missExtra, cache);
    expect(seen).toEqual({ hono: 1, hop: 1, kv: 1, d1Page: 0.05, kvPut: 0.05 });
    // 100 + 100 + 300 (increments over hono) + 0.05 × (600 + 700)
    expect(floorOf(seen, costs)).toBeCloseTo(565);
  });

  it("leaves the floor as it is when every read hit, or when a read was never answered", () => {
    expect(withMisses(floor, missExtra, { list: { hit: 5, miss: 0 } })).toEqual(floor);
    expect(withMisses(floor, missExtra, {})).toEqual(floor);
    expect(withMisses(floor, undefined, { list: { hit: 0, miss: 5 } })).toEqual(floor);
  });

  it("charges a read that always missed as an uncached one", () => {
    const seen = withMisses(floor, { list: MISS_EXTRA.list }, { list: { hit: 0, miss: 3 } });
    expect(formulaText(seen)).toBe("hono + hop + kv + kvput + d1page");
  });

  it("keeps a share too small to print out of the formula's text, not out of its sum", () => {
    const seen = withMisses(floor, missExtra, { list: { hit: 999, miss: 1 } });
    expect(formulaText(seen)).toBe("hono + hop + kv");
    expect(floorOf(seen, costs)).toBeGreaterThan(floorOf(floor, costs) ?? Infinity);
  });
});

describe("the floor of a mix of requests", () => {
  it("is the per-request average of its steps' floors", () => {
    const mix = averageOf([{ hono: 1, kv: 1 }, { hono: 1, kv: 1 }, { hono: 1, d1Batch: 2 }, { hono: 1 }]);
    expect(mix).toEqual({ hono: 1, kv: 0.5, d1Batch: 0.5 });
    expect(formulaText(mix)).toBe("hono + 0.5×kv + 0.5×d1batch");
  });
});
