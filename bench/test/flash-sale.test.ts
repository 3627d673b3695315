import { describe, expect, it } from "vitest";
import { derive, type Measurement } from "../lib/measure.ts";
import { verdicts } from "../lib/report.ts";
import { pooledRows } from "../lib/rounds.ts";
import { browseHitRate } from "../lib/sale-report.ts";
import type { SaleOutcome, Scenario } from "../scenarios/types.ts";
import { benchRow } from "./row.ts";

// The arithmetic of the flash-sale line: its floor mixes its outcomes, its rounds pool, its verdicts say what
// the issue asks (every unit sold and no more, the rest refused, no 5xx, browsing cached).

const sale = (extra: Partial<SaleOutcome> = {}): SaleOutcome => ({
  units: 1000,
  sold: 1000,
  created: 1000,
  refused: 1000,
  sellOutSeconds: 4,
  createdP99: 900,
  ...extra,
});

describe("the flash-sale line", () => {
  it("takes its floor from its outcomes, weighted by how many responses had each status", () => {
    const line: Scenario = {
      id: "flash-sale",
      title: "flash sale",
      target: "gateway",
      connections: 200,
      steps: [],
      outcomeFloors: { "POST 201": { hono: 1, d1Batch: 2 }, "POST 409": { hono: 1, d1Read: 1 } },
    };
    const primitives: Scenario[] = (["hono", "d1Batch", "d1Read"] as const).map((p) => ({
      id: `primitive:${p}`,
      title: p,
      target: "hono",
      connections: 16,
      steps: [],
      primitive: p,
    }));
    const rows = [
      benchRow("primitive:hono", 1000, 0.1), // 100 µs
      benchRow("primitive:d1Batch", 1000, 0.6), // +500 µs
      benchRow("primitive:d1Read", 1000, 0.3), // +200 µs
      benchRow("flash-sale", 400, 1, { statuses: { "POST 201": 100, "POST 409": 300 } }),
    ];
    derive(rows, [...primitives, line]);
    const row = rows[3];
    // ¼ × (100 + 2 × 500) + ¾ × (100 + 200)
    expect(row?.floorUs).toBeCloseTo(500);
    expect(row?.formula).toBe("hono + 0.75×d1read + 0.5×d1batch");
  });

  it("pools its rounds: counts and sell-out times added up, the worst round's p99", () => {
    const round = (s: SaleOutcome): Measurement => ({
      row: benchRow("flash-sale", 2000, 10, { sale: s }),
      latencies: Float64Array.from([1, 2]),
    });
    const [pooled] = pooledRows([[round(sale())], [round(sale({ sellOutSeconds: 6, createdP99: 1200 }))]]);
    expect(pooled?.sale).toEqual({
      units: 2000,
      sold: 2000,
      created: 2000,
      refused: 2000,
      sellOutSeconds: 10,
      createdP99: 1200,
    });
  });

  it("passes only when every unit and no more was sold, with no 5xx and browsing ≥ 99 % cached", () => {
    const cache = {
      list: { hit: 990, miss: 5 },
      search: { hit: 500, miss: 5 },
      detail: { hit: 1, miss: 99 },
    };
    const good = benchRow("flash-sale", 4000, 10, { sale: sale(), cache });
    expect(browseHitRate(good)).toBeCloseTo(0.9933, 3);
    const ok = verdicts([good]).filter((v) => /flash.sale/.test(v.text));
    expect(ok.map((v) => v.ok)).toEqual([true, true]);
    expect(ok[0]?.text).toContain("1,000 of 1,000 units sold (D1), 1,000 orders created at 250 orders/s");

    const oversold = benchRow("flash-sale", 4000, 10, { sale: sale({ sold: 1001 }), cache });
    const fiveXx = benchRow("flash-sale", 4000, 10, {
      sale: sale(),
      cache,
      statuses: { "POST 201": 1000, "POST 503": 1 },
    });
    const missed = benchRow("flash-sale", 4000, 10, { sale: sale(), cache: { list: { hit: 98, miss: 2 } } });
    expect(verdicts([oversold])[0]?.ok).toBe(false);
    expect(verdicts([fiveXx])[0]?.ok).toBe(false);
    expect(verdicts([missed])[1]?.ok).toBe(false);
  });
});
