import { percentile } from "./load.ts";
import type { Measurement, Row } from "./measure.ts";
import { judgedEfficiency } from "./report.ts";

// This VM's speed drifts by 20–40 % over tens of seconds, more than most gaps the bench looks for, and a
// scenario's floor comes from primitives measured minutes away from it. So a run measures everything in several
// short rounds, in alternating order (primitives then the shop, then the shop backwards then the primitives
// backwards, …), and pools each line's rounds: every line then samples the whole run, a slow stretch weighs on
// the floors as much as on the scenarios, and a steady drift cancels out between a forward and a backward round.

/** The order of round `round` (from 1): odd rounds forward, even rounds backward. */
export function roundOrder<T>(items: T[], round: number): T[] {
  return round % 2 === 1 ? items : [...items].reverse();
}

/** What a round's row is listed by: the judged efficiency of a scenario, the cost of a primitive. */
function roundValue(row: Row): number {
  return row.group === "shop" ? (judgedEfficiency(row) ?? 0) : row.costUs;
}

/** The D1 tallies of several rounds, summed (none when no round had any). */
function summedD1(rows: Row[]): Row["d1"] {
  const out: NonNullable<Row["d1"]> = {};
  for (const row of rows) {
    for (const [key, t] of Object.entries(row.d1 ?? {})) {
      const sum = out[key] ?? { rows: 0, calls: 0 };
      out[key] = { rows: sum.rows + t.rows, calls: sum.calls + t.calls };
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function sum(rows: Row[], value: (r: Row) => number): number {
  return rows.reduce((total, r) => total + value(r), 0);
}

function mergedSorted(arrays: Float64Array[]): Float64Array {
  const merged = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    merged.set(a, offset);
    offset += a.length;
  }
  return merged.sort();
}

/** A sale's outcomes over its rounds: counts and sell-out times added up, the worst round's p99. */
function pooledSale(rows: Row[]): Pick<Row, "sale"> {
  const sales = rows.flatMap((r) => (r.sale ? [r.sale] : []));
  if (sales.length === 0) return {};
  const add = (value: (s: NonNullable<Row["sale"]>) => number) => sales.reduce((n, s) => n + value(s), 0);
  return {
    sale: {
      units: add((s) => s.units),
      sold: add((s) => s.sold),
      created: add((s) => s.created),
      refused: add((s) => s.refused),
      sellOutSeconds: add((s) => s.sellOutSeconds),
      createdP99: Math.max(...sales.map((s) => s.createdP99)),
    },
  };
}

/**
 * One row per line, from all its rounds: throughput and costs from the summed responses, seconds and CPU time,
 * percentiles from every response's latency, errors, statuses and cache tallies summed (so "no errors under
 * load" covers every request sent), each round's value in `roundValues` (in round order). Floors and
 * efficiencies are left to `derive`, from the pooled primitives.
 */
export function pooledRows(rounds: Measurement[][]): Row[] {
  for (const round of rounds) {
    const seen = new Set<string>();
    for (const { row } of round) {
      // Lines are pooled by id across rounds: two lines of one id in a round would be pooled into one row.
      if (seen.has(row.id)) throw new Error(`two lines share the id ${row.id}: give each scenario its own`);
      seen.add(row.id);
    }
  }
  const ids = [...new Set(rounds.flatMap((round) => round.map((m) => m.row.id)))];
  return ids.map((id) => {
    const measured = rounds.flatMap((round) => round.filter((m) => m.row.id === id));
    const rows = measured.map((m) => m.row);
    const first = rows[0] as Row;
    const seconds = sum(rows, (r) => r.seconds);
    const responses = sum(rows, (r) => r.responses);
    const perResponse = (value: (r: Row) => number) => sum(rows, (r) => value(r) * r.responses) / responses;
    const perSecond = (value: (r: Row) => number) => sum(rows, (r) => value(r) * r.seconds) / seconds;
    const latencies = mergedSorted(measured.map((m) => m.latencies));
    const statuses: Row["statuses"] = {};
    const cache: Row["cache"] = {};
    for (const r of rows) {
      for (const [key, n] of Object.entries(r.statuses)) statuses[key] = (statuses[key] ?? 0) + n;
      for (const [label, t] of Object.entries(r.cache)) {
        const tally = cache[label] ?? { hit: 0, miss: 0 };
        cache[label] = { hit: tally.hit + t.hit, miss: tally.miss + t.miss };
      }
    }
    const rps = responses / seconds;
    const d1 = summedD1(rows);
    const {
      efficiency: _e,
      efficiencyCpu: _c,
      floorUs: _f,
      floorCpuUs: _fc,
      incrementUs: _i,
      xBare: _x,
      d1: _d,
      ...identity
    } = first;
    return {
      ...identity,
      responses,
      seconds,
      rps,
      costUs: 1e6 / rps,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
      autocannonP99: Math.max(...rows.map((r) => r.autocannonP99)),
      errors: sum(rows, (r) => r.errors),
      errorSamples: [...new Set(rows.flatMap((r) => r.errorSamples))].slice(0, 5),
      statuses,
      cache,
      workerdCpu: perSecond((r) => r.workerdCpu),
      workerdCpuUsPerRequest: perResponse((r) => r.workerdCpuUsPerRequest),
      generatorCpu: perSecond((r) => r.generatorCpu),
      logsPerRequest: perResponse((r) => r.logsPerRequest),
      drainSeconds: sum(rows, (r) => r.drainSeconds) / rows.length,
      roundValues: rows.map(roundValue),
      ...(d1 ? { d1 } : {}),
      ...pooledSale(rows),
    };
  });
}
