import { describe, expect, it } from "vitest";
import type { Measurement, Row } from "../lib/measure.ts";
import { pooledRows, roundOrder } from "../lib/rounds.ts";
import { benchRow } from "./row.ts";

// The arithmetic of the bench's rounds (the speeds themselves are never asserted anywhere).

function measurement(
  id: string,
  responses: number,
  seconds: number,
  latencies: number[],
  extra: Partial<Row> = {},
) {
  const row = benchRow(id, responses, seconds, extra);
  return { row, latencies: Float64Array.from(latencies).sort() } satisfies Measurement;
}

describe("bench rounds", () => {
  it("runs odd rounds forward and even rounds backward", () => {
    expect(roundOrder(["a", "b", "c"], 1)).toEqual(["a", "b", "c"]);
    expect(roundOrder(["a", "b", "c"], 2)).toEqual(["c", "b", "a"]);
    expect(roundOrder(["a", "b", "c"], 3)).toEqual(["a", "b", "c"]);
  });

  it("refuses two lines of one id in a round (they would be pooled into one row)", () => {
    const round = [measurement("primitive:log", 100, 1, [1]), measurement("primitive:log", 200, 1, [2])];
    expect(() => pooledRows([round])).toThrow(/two lines share the id primitive:log/);
    expect(pooledRows([[round[0] as Measurement], [round[1] as Measurement]])).toHaveLength(1);
  });

  it("pools a line's rounds: throughput from the sums, percentiles from every latency, tallies added up", () => {
    const [pooled] = pooledRows([
      [
        measurement("catalog-hit", 1000, 1, [1, 2, 3], {
          errors: 1,
          errorSamples: ["x"],
          cache: { list: { hit: 9, miss: 1 } },
          efficiency: 0.9,
          workerdCpuUsPerRequest: 1000,
        }),
      ],
      [
        measurement("catalog-hit", 3000, 2, [4, 5, 6, 7, 8, 9, 10], {
          errors: 2,
          errorSamples: ["x", "y"],
          cache: { list: { hit: 5, miss: 5 } },
          efficiency: 0.7,
          workerdCpuUsPerRequest: 600,
        }),
      ],
    ]);
    expect(pooled).toMatchObject({
      responses: 4000,
      seconds: 3,
      rps: 4000 / 3,
      costUs: 750,
      p50: 5,
      p99: 10,
      max: 10,
      errors: 3,
      errorSamples: ["x", "y"],
      statuses: { "GET 200": 4000 },
      cache: { list: { hit: 14, miss: 6 } },
      // Weighted by responses: (1000 × 1000 + 3000 × 600) / 4000.
      workerdCpuUsPerRequest: 700,
      roundValues: [0.9, 0.7],
    });
    // A round's floor and efficiency are its own: the pooled row gets them from the pooled primitives.
    expect(pooled?.efficiency).toBeUndefined();
  });
});
