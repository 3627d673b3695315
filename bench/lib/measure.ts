import type { Miniflare } from "miniflare";
import type { CatalogLine, SaleOutcome, Scenario } from "../scenarios/types.ts";
import { type Costs, type Formula, floorOf, formulaText, increment, plus, withMisses } from "./floors.ts";
import { drive, type LoadResult, percentile } from "./load.ts";
import { cpuSeconds, settle } from "./proc.ts";
import { startPerf } from "./profile.ts";
import type { D1Tallies } from "./stack.ts";

/** One line of the results. */
export interface Row extends Omit<LoadResult, "seconds" | "latencies"> {
  id: string;
  title: string;
  group: "primitive" | "shop" | "catalog";
  connections: number;
  seconds: number;
  /** µs of the workerd thread per request: 1e6 / req/s at saturation. */
  costUs: number;
  /** Share of one core workerd used while measured (≈1 when saturated). */
  workerdCpu: number;
  /**
   * CPU µs workerd spent per request, counted until the work the requests caused was done (queue consumers
   * included): a cross-check of costUs for reads, the complete cost of a write.
   */
  workerdCpuUsPerRequest: number;
  /** Seconds workerd stayed busy after the load stopped (consumers finishing the scenario's events). */
  drainSeconds: number;
  /** Share of one core the bench process (load generator) used. */
  generatorCpu: number;
  /** console lines the workers wrote per request (the gateway's and services' JSON logs). */
  logsPerRequest: number;
  /** Primitives: µs over bare Hono (the bases: their own cost). */
  incrementUs?: number;
  /** Shop: the floor, its formula, efficiency and target. */
  formula?: string;
  floorUs?: number;
  efficiency?: number;
  /** The same from CPU time (floor from the primitives' CPU µs ÷ this row's CPU µs): steadier on a busy machine. */
  floorCpuUs?: number;
  efficiencyCpu?: number;
  /**
   * When the floor is a together line's cost (plus the misses the run saw): the floor and efficiency the
   * primitives measured one at a time would give, for comparison.
   */
  sumFloorUs?: number;
  sumEfficiency?: number;
  sumEfficiencyCpu?: number;
  target?: number;
  /** Cost relative to the bare Worker (how many bare-Worker requests one of these costs). */
  xBare?: number;
  /** With several rounds: each round's judged efficiency (shop) or µs/req (primitive, catalog), in round order. */
  roundValues?: number[];
  /** Catalog lines: the catalog size and shape. */
  catalog?: CatalogLine;
  /** The products service's D1 rows read while measured, by route or RPC method (with D1_STATS only). */
  d1?: D1Tallies;
  /** A flash sale: what it sold (counted in D1) and how fast. */
  sale?: SaleOutcome;
}

/** One measurement: its row and every response's latency (sorted, ms), which the row only summarises. */
export interface Measurement {
  row: Row;
  latencies: Float64Array;
}

export interface Runner {
  urls: Record<Scenario["target"], string>;
  /** The stack's Miniflare, for a line's own checks of the state it left (a sale's units, in D1). */
  mf: Miniflare;
  pids: string[];
  logLines(): number;
  d1Tallies(): D1Tallies;
  seconds: number;
  warmup: number;
  /** Whether to record workerd with perf during each measurement, and where the recordings go. */
  profile: { enabled: boolean; dir: string };
  say(line: string): void;
}

/** Warms a scenario up, then measures it once. */
export async function measure(runner: Runner, scenario: Scenario): Promise<Measurement> {
  const url = runner.urls[scenario.target];
  const base = {
    url,
    connections: scenario.connections,
    steps: scenario.steps,
    ...(scenario.timeoutSeconds ? { timeoutSeconds: scenario.timeoutSeconds } : {}),
  };
  await scenario.prepare?.();
  const warm = await drive({ ...base, steps: scenario.warmupSteps ?? base.steps, seconds: runner.warmup });
  if (warm.errors > 0) runner.say(`  warm-up errors: ${warm.errors} (${warm.errorSamples[0] ?? ""})`);
  // Neither the warm-up's events nor an earlier scenario's may be processed while this one is measured.
  await settle(runner.pids);
  const cpu0 = cpuSeconds(runner.pids);
  const own0 = process.cpuUsage();
  const logs0 = runner.logLines();
  const d10 = runner.d1Tallies();
  const label = scenario.id.replace(/[^a-z0-9-]/gi, "_");
  const profiling = runner.profile.enabled
    ? await startPerf(runner.pids, runner.profile.dir, label)
    : undefined;
  const seconds = Math.max(runner.seconds, scenario.minSeconds ?? 0);
  const main = drive({ ...base, seconds, ...(scenario.requests ? { amount: scenario.requests } : {}) });
  const beside =
    scenario.beside &&
    drive({ url, ...scenario.beside, seconds: 3600, stop: main, timeoutSeconds: base.timeoutSeconds });
  const { latencies, ...result } = besideMerged(await main, beside && (await beside));
  if (profiling) for (const line of await profiling()) runner.say(line);
  const loadCpu = cpuSeconds(runner.pids) - cpu0;
  const drainSeconds = await settle(runner.pids);
  const cpu = cpuSeconds(runner.pids) - cpu0;
  const own = process.cpuUsage(own0);
  const logs = runner.logLines() - logs0;
  const d1 = tallyDifference(runner.d1Tallies(), d10);
  const responses = Math.max(1, result.responses);
  const checked = await scenario.check?.(runner.mf, result);
  for (const problem of checked?.problems ?? []) {
    result.errors++;
    if (result.errorSamples.length < 5) result.errorSamples.push(problem);
  }
  const row: Row = {
    ...result,
    id: scenario.id,
    title: scenario.title,
    group: scenario.catalog
      ? "catalog"
      : scenario.primitive || scenario.measuresFloorOf
        ? "primitive"
        : "shop",
    connections: scenario.connections,
    costUs: 1e6 / result.rps,
    workerdCpu: loadCpu / result.seconds,
    workerdCpuUsPerRequest: (cpu * 1e6) / responses,
    generatorCpu: (own.user + own.system) / 1e6 / result.seconds,
    logsPerRequest: logs / responses,
    drainSeconds,
    ...(scenario.catalog ? { catalog: scenario.catalog } : {}),
    ...(Object.keys(d1).length > 0 ? { d1 } : {}),
    ...(checked?.sale ? { sale: checked.sale } : {}),
  };
  return { row, latencies };
}

/** What was tallied between two readings. */
function tallyDifference(after: D1Tallies, before: D1Tallies): D1Tallies {
  const out: D1Tallies = {};
  for (const [key, { rows, calls }] of Object.entries(after)) {
    const then = before[key] ?? { rows: 0, calls: 0 };
    if (calls > then.calls) out[key] = { rows: rows - then.rows, calls: calls - then.calls };
  }
  return out;
}

/** A line and the load run beside it, as one: every response counted, latencies pooled, tallies added up. */
function besideMerged(main: LoadResult, beside: LoadResult | undefined): LoadResult {
  if (!beside) return main;
  const statuses = { ...main.statuses };
  for (const [key, n] of Object.entries(beside.statuses)) statuses[key] = (statuses[key] ?? 0) + n;
  const cache = { ...main.cache };
  for (const [label, t] of Object.entries(beside.cache)) {
    const tally = cache[label] ?? { hit: 0, miss: 0 };
    cache[label] = { hit: tally.hit + t.hit, miss: tally.miss + t.miss };
  }
  const latencies = new Float64Array(main.latencies.length + beside.latencies.length);
  latencies.set(main.latencies);
  latencies.set(beside.latencies, main.latencies.length);
  latencies.sort();
  const responses = main.responses + beside.responses;
  return {
    ...main,
    responses,
    rps: responses / main.seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    errors: main.errors + beside.errors,
    errorSamples: [...main.errorSamples, ...beside.errorSamples].slice(0, 5),
    statuses,
    cache,
    latencies,
  };
}

/** The primitives' µs per request among `rows`: by throughput, and by workerd's CPU time. */
export function costsOf(rows: Row[], scenarios: Scenario[]): { costs: Costs; cpuCosts: Costs } {
  const costs: Costs = {};
  const cpuCosts: Costs = {};
  for (const s of scenarios) {
    const row = rows.find((r) => r.id === s.id);
    if (s.primitive && row) {
      costs[s.primitive] = row.costUs;
      cpuCosts[s.primitive] = row.workerdCpuUsPerRequest;
    }
  }
  return { costs, cpuCosts };
}

/** The row of the together line that measures `id`'s floor, when there is one and it was measured. */
function togetherRow(rows: Row[], scenarios: Scenario[], id: string): Row | undefined {
  const line = scenarios.find((t) => t.measuresFloorOf?.includes(id));
  return line && rows.find((r) => r.id === line.id);
}

/** The floors of a line's outcomes, weighted by how many responses had each status. */
function outcomeMix(floors: Record<string, Formula>, statuses: Record<string, number>): Formula {
  const counted = Object.keys(floors).reduce((n, key) => n + (statuses[key] ?? 0), 0);
  let mix: Formula = {};
  for (const [key, floor] of Object.entries(floors)) {
    if (counted > 0) mix = plus(mix, floor, (statuses[key] ?? 0) / counted);
  }
  return mix;
}

function plusDefined(a: number, b: number | undefined): number | undefined {
  return b === undefined ? undefined : a + b;
}

/** Fills in increments, floors, efficiency and the ratio to the bare Worker from the primitives among `rows`. */
export function derive(rows: Row[], scenarios: Scenario[]): void {
  const { costs, cpuCosts } = costsOf(rows, scenarios);
  for (const s of scenarios) {
    const row = rows.find((r) => r.id === s.id);
    if (!row) continue;
    if (costs.bare !== undefined) row.xBare = row.costUs / costs.bare;
    if (s.primitive) row.incrementUs = increment(costs, s.primitive);
    const floorBase = s.outcomeFloors ? outcomeMix(s.outcomeFloors, row.statuses) : s.floor;
    if (floorBase) {
      const floor = withMisses(floorBase, s.missExtra, row.cache);
      const together = togetherRow(rows, scenarios, s.id);
      row.formula = together ? `together: ${formulaText(floor)}` : formulaText(floor);
      row.floorUs = floorOf(floor, costs);
      row.floorCpuUs = floorOf(floor, cpuCosts);
      if (together) {
        row.sumFloorUs = row.floorUs;
        if (row.floorUs !== undefined) row.sumEfficiency = row.floorUs / row.costUs;
        if (row.floorCpuUs !== undefined) row.sumEfficiencyCpu = row.floorCpuUs / row.workerdCpuUsPerRequest;
        // The misses are not in the together line (it reads no cache): added from the primitives, as the run saw them.
        const misses = withMisses({}, s.missExtra, row.cache);
        row.floorUs = plusDefined(together.costUs, floorOf(misses, costs));
        row.floorCpuUs = plusDefined(together.workerdCpuUsPerRequest, floorOf(misses, cpuCosts));
      }
      if (row.floorUs !== undefined) row.efficiency = row.floorUs / row.costUs;
      if (row.floorCpuUs !== undefined) row.efficiencyCpu = row.floorCpuUs / row.workerdCpuUsPerRequest;
      const writes = s.writeShare ?? 0;
      row.target = s.minEfficiency ?? 0.8 * (1 - writes) + 0.7 * writes;
    }
  }
}
