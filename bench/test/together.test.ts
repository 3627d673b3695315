import { describe, expect, it } from "vitest";
import type { Row } from "../lib/measure.ts";
import { derive } from "../lib/measure.ts";
import { callsOf, type ShopLine, togetherLines } from "../scenarios/together.ts";
import type { Scenario } from "../scenarios/types.ts";
import { benchRow } from "./row.ts";

// How a scenario's floor becomes one request of the primitive worker, and how its measured cost is used.

describe("the calls of a step's floor", () => {
  it("lists each call as many times as the floor counts it, in a request's order", () => {
    const order = { hono: 1, do: 1, hop: 1, log: 2, ed25519: 1, rpc: 2, d1Read: 1, d1Batch: 2, queue: 1 };
    expect(callsOf(order, [3])).toBe("do,ed25519,hop:3,rpc,rpc,d1Read,d1Batch,d1Batch,queue,log,log");
  });

  it("asks several far ends at once when the step's hops go to several workers", () => {
    expect(callsOf({ hono: 1, hop: 5, log: 1 }, [1, 2, 3, 4, 5])).toBe("fan:5,log");
  });

  it("refuses what it cannot make exactly: a share of a call, a call it has no route for, a far end short", () => {
    expect(() => callsOf({ hono: 1, kv: 0.5 }, [1])).toThrow(/whole/);
    expect(() => callsOf({ hono: 1, argon2id: 1 }, [1])).toThrow(/argon2id/);
    expect(() => callsOf({ hono: 1, hop: 2 }, [1])).toThrow(/far ends/);
  });
});

const step = (label: string, floor: Record<string, number>) => ({
  step: { path: "/", expect: 200, label },
  floor,
  writes: false,
  missExtra: undefined,
});
const line = (id: string, steps: ReturnType<typeof step>[]): ShopLine => ({
  scenario: { id, title: id, target: "gateway", connections: 16, steps: steps.map((s) => s.step) },
  steps,
});

describe("the together lines of a run", () => {
  const cached = { hono: 1, do: 1, hop: 1, log: 2, kv: 1 };
  const lines = [
    line("catalog-hit", [step("list", cached)]),
    line("detail-hit", [step("detail", cached)]),
    line("cart", [step("cart read", { hono: 1, do: 2, hop: 1, log: 2, rpc: 1, d1Read: 1 })]),
    line("login", [step("login", { hono: 1, argon2id: 1 })]),
  ];

  it("measures one line for the scenarios that make the same calls, and one per step of a mix", () => {
    const mix = line("mix", [
      step("list", cached),
      step("cart read", { hono: 1, do: 2, hop: 1, log: 2, rpc: 1, d1Read: 1 }),
    ]);
    const together = togetherLines([...lines, mix], 16);
    expect(together.map((t) => t.measuresFloorOf)).toEqual([
      ["catalog-hit", "detail-hit"],
      ["cart"],
      ["mix"],
    ]);
    expect(together[2]?.steps.map((s) => s.path)).toEqual([
      "/together?calls=do,hop:1,kv,log,log",
      "/together?calls=do,do,hop:6,rpc,d1Read,log,log",
    ]);
  });

  it("leaves login to the sum of its primitives (one argon2id is nearly all of it)", () => {
    expect(togetherLines(lines, 16).flatMap((t) => t.measuresFloorOf)).not.toContain("login");
  });

  it("refuses a step whose worker it does not know", () => {
    expect(() => togetherLines([line("x", [step("unknown", cached)])], 16)).toThrow(/far end/);
  });
});

/** A line that cost `costUs` per request (1,000 responses). */
function row(id: string, costUs: number, extra: Partial<Row> = {}): Row {
  return benchRow(id, 1000, costUs / 1000, extra);
}

describe("a floor measured together", () => {
  const scenarios: Scenario[] = [
    { id: "primitive:hono", title: "", target: "hono", connections: 16, steps: [], primitive: "hono" },
    { id: "primitive:kv", title: "", target: "hono", connections: 16, steps: [], primitive: "kv" },
    { id: "primitive:d1Page", title: "", target: "hono", connections: 16, steps: [], primitive: "d1Page" },
    { id: "primitive:kvPut", title: "", target: "hono", connections: 16, steps: [], primitive: "kvPut" },
    { id: "together:list", title: "", target: "hono", connections: 16, steps: [], measuresFloorOf: ["list"] },
    {
      id: "list",
      title: "",
      target: "gateway",
      connections: 16,
      steps: [],
      floor: { hono: 1, kv: 1 },
      missExtra: { list: { d1Page: 1, kvPut: 1 } },
    },
  ];
  const measured = () => [
    row("primitive:hono", 100),
    row("primitive:kv", 400),
    row("primitive:d1Page", 700),
    row("primitive:kvPut", 900),
    row("together:list", 500),
    row("list", 1000, { cache: { list: { hit: 90, miss: 10 } } }),
  ];

  it("is the together line's cost plus the misses the run saw, priced by the primitives", () => {
    const rows = measured();
    derive(rows, scenarios);
    const list = rows.find((r) => r.id === "list");
    // 500 + 0.1 × ((700 − 100) + (900 − 100))
    expect(list?.floorUs).toBeCloseTo(640);
    expect(list?.efficiency).toBeCloseTo(0.64);
    expect(list?.formula).toBe("together: hono + kv + 0.1×kvput + 0.1×d1page");
  });

  it("keeps the sum of the primitives beside it", () => {
    const rows = measured();
    derive(rows, scenarios);
    const list = rows.find((r) => r.id === "list");
    // 100 + 300 + 0.1 × (600 + 800)
    expect(list?.sumFloorUs).toBeCloseTo(540);
    expect(list?.sumEfficiency).toBeCloseTo(0.54);
  });

  it("holds a line to its own target when it sets one, else to 0.8 for reads and 0.7 for writes, pro rata", () => {
    const rows = measured();
    const half = { ...scenarios[5], writeShare: 0.5 } as Scenario;
    derive(rows, [...scenarios.slice(0, 5), half]);
    expect(rows.find((r) => r.id === "list")?.target).toBeCloseTo(0.75);
    derive(rows, [...scenarios.slice(0, 5), { ...half, minEfficiency: 0.8 }]);
    expect(rows.find((r) => r.id === "list")?.target).toBeCloseTo(0.8);
  });

  it("falls back to the sum when the together line was not measured", () => {
    const rows = measured().filter((r) => r.id !== "together:list");
    derive(rows, scenarios);
    const list = rows.find((r) => r.id === "list");
    expect(list?.floorUs).toBeCloseTo(540);
    expect(list?.sumFloorUs).toBeUndefined();
    expect(list?.formula).toBe("hono + kv + 0.1×kvput + 0.1×d1page");
  });
});
