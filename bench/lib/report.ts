import { catalogNotes, catalogTable, catalogVerdicts } from "./catalog-report.ts";
import { ms } from "./figures.ts";
import type { Row } from "./measure.ts";
import { browseHitRate, saleVerdicts } from "./sale-report.ts";

export interface Verdict {
  ok: boolean;
  text: string;
}

/** Beyond this spread of bare Hono's cost between rounds, single rounds say little: only the pooled figures. */
const MAX_DRIFT = 0.1;

/** A workerd that used less of its core than this was not the bottleneck: the row is marked. */
export const SATURATED = 0.85;

const int = (n: number | undefined) => (n === undefined ? "–" : Math.round(n).toLocaleString("en-US"));
const fixed = (n: number | undefined, digits = 2) => (n === undefined ? "–" : n.toFixed(digits));
const mark = (r: Row) => (r.workerdCpu < SATURATED ? "*" : "");

/**
 * The efficiency a scenario is judged by. When its consumers were still at work after the load, the
 * wall-clock figure misses that work: the lower of the two, so a scenario never passes on work left for later.
 */
export function judgedEfficiency(r: Row): number | undefined {
  return judged(r, r.efficiency, r.efficiencyCpu);
}

function judged(r: Row, wall: number | undefined, cpu: number | undefined): number | undefined {
  if (wall === undefined) return undefined;
  const lagged = r.drainSeconds >= 1 && cpu !== undefined;
  return lagged ? Math.min(wall, cpu ?? wall) : wall;
}

/**
 * The target checks: efficiency per scenario, cache ≥ 1.5× uncached, a hot picture no dearer than a cached catalog
 * read, zero errors.
 */
export function verdicts(rows: Row[]): Verdict[] {
  const out: Verdict[] = [];
  for (const r of rows.filter((r) => r.efficiency !== undefined && r.target !== undefined)) {
    const e = judgedEfficiency(r) ?? 0;
    const t = r.target ?? 0;
    const which = e !== r.efficiency ? " (CPU, events included)" : "";
    const sum = judged(r, r.sumEfficiency, r.sumEfficiencyCpu);
    const together =
      sum === undefined
        ? ""
        : `, floor measured together (${sum.toFixed(2)} by the primitives measured one at a time)`;
    out.push({
      ok: e >= t,
      text: `${r.title}: efficiency ${e.toFixed(2)}${which} (target ≥ ${t.toFixed(2)})${together}`,
    });
  }
  const hit = rows.find((r) => r.id === "catalog-hit");
  const miss = rows.find((r) => r.id === "catalog-miss");
  if (hit && miss) {
    const ratio = hit.rps / miss.rps;
    out.push({
      ok: ratio >= 1.5,
      text: `cached catalog read ${ratio.toFixed(2)}× the uncached one (target ≥ 1.5×)`,
    });
  }
  const picture = rows.find((r) => r.id === "media");
  if (picture && hit) {
    const ratio = hit.rps / picture.rps;
    out.push({
      ok: ratio <= 1,
      text: `a hot picture costs ${ratio.toFixed(2)}× a cached catalog read (target ≤ 1)`,
    });
  }
  out.push(...catalogVerdicts(rows));
  const mix = rows.find((r) => r.id === "mix");
  const mixHits = mix && browseHitRate(mix);
  if (mixHits !== undefined) {
    out.push({
      ok: mixHits >= 0.99,
      text: `browsing in the checkout mix: lists and searches ${(mixHits * 100).toFixed(1)} % cache hits (target ≥ 99 %)`,
    });
  }
  for (const r of rows.filter((r) => r.sale)) out.push(...saleVerdicts(r));
  const errors = rows.reduce((sum, r) => sum + r.errors, 0);
  out.push({
    ok: errors === 0,
    text: `${errors} errors in ${int(rows.reduce((s, r) => s + r.responses, 0))} responses`,
  });
  return out;
}

function cacheText(r: Row): string {
  const parts = Object.entries(r.cache).map(([label, t]) => {
    const total = t.hit + t.miss;
    return `${label} ${Math.round((100 * t.hit) / Math.max(1, total))}% hit`;
  });
  return parts.join(", ");
}

interface Table {
  head: string[];
  rows: string[][];
}

function tables(rows: Row[]): { primitives: Table; shop: Table } {
  return {
    primitives: {
      head: [
        "primitive",
        "conns",
        "req/s",
        "p50 ms",
        "p99 ms",
        "µs/req",
        "+µs vs Hono",
        "× bare",
        "CPU µs/req",
        "workerd CPU",
        "errors",
      ],
      rows: rows
        .filter((r) => r.group === "primitive")
        .map((r) => [
          r.title,
          String(r.connections),
          int(r.rps) + mark(r),
          ms(r.p50),
          ms(r.p99),
          int(r.costUs),
          int(r.incrementUs),
          fixed(r.xBare, 1),
          int(r.workerdCpuUsPerRequest),
          `${Math.round(r.workerdCpu * 100)}%`,
          String(r.errors),
        ]),
    },
    shop: {
      head: [
        "scenario",
        "conns",
        "req/s",
        "p50 ms",
        "p99 ms",
        "µs/req",
        "CPU µs/req",
        "× bare",
        "floor",
        "floor µs",
        "efficiency",
        "eff. (CPU)",
        "target",
        "errors",
      ],
      rows: rows
        .filter((r) => r.group === "shop")
        .map((r) => [
          r.title,
          String(r.connections),
          int(r.rps) + mark(r),
          ms(r.p50),
          ms(r.p99),
          int(r.costUs),
          int(r.workerdCpuUsPerRequest),
          fixed(r.xBare, 1),
          r.formula ?? "–",
          int(r.floorUs),
          fixed(r.efficiency),
          fixed(r.efficiencyCpu),
          r.target === undefined ? "–" : `≥ ${r.target.toFixed(2)}`,
          String(r.errors),
        ]),
    },
  };
}

function plain(t: Table): string {
  const widths = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(t.head), widths.map((w) => "─".repeat(w)).join("  "), ...t.rows.map(line)].join("\n");
}

function markdown(t: Table): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(t.head), line(t.head.map((_, i) => (i === 0 ? "---" : "---:"))), ...t.rows.map(line)].join(
    "\n",
  );
}

function notes(rows: Row[]): string[] {
  const lines: string[] = [];
  const unsaturated = rows.filter((r) => r.workerdCpu < SATURATED);
  if (unsaturated.length > 0) {
    lines.push(
      `\\* workerd used less than ${SATURATED * 100}% of its core: not saturated (the generator or a busy machine limited it): ${unsaturated.map((r) => r.title).join("; ")}`,
    );
  }
  const generatorBound = rows.filter((r) => r.generatorCpu > 0.9);
  if (generatorBound.length > 0) {
    lines.push(
      `load generator above 90% of a core (it may have been the limit): ${generatorBound.map((r) => r.title).join("; ")}`,
    );
  }
  const hono = rows.find((r) => r.id === "primitive:hono");
  const honoRounds = hono?.roundValues ?? [];
  if (honoRounds.length > 1) {
    const spread = Math.max(...honoRounds) / Math.min(...honoRounds) - 1;
    const verdict =
      spread <= MAX_DRIFT
        ? "steady"
        : "the machine's speed moved during the run: single rounds differ, the pooled figures average it out";
    lines.push(
      `bare Hono in each round: ${honoRounds.map((v) => int(v)).join(" / ")} µs/req (${(spread * 100).toFixed(0)} % apart): ${verdict}`,
    );
  }
  const spread = rows.filter((r) => r.efficiency !== undefined && (r.roundValues?.length ?? 0) > 1);
  if (spread.length > 0) {
    lines.push(
      `efficiency of each round on its own primitives (the table pools the rounds): ${spread.map((r) => `${r.title} ${(r.roundValues ?? []).map((v) => v.toFixed(2)).join(" / ")}`).join("; ")}`,
    );
  }
  const together = rows.filter((r) => r.sumFloorUs !== undefined);
  if (together.length > 0) {
    lines.push(
      `floors measured together (the "the calls of …, together" lines, plus the misses the run saw) and as the sum of the primitives measured one at a time: ${together.map((r) => `${r.title} ${int(r.floorUs)} and ${int(r.sumFloorUs)} µs`).join("; ")}`,
    );
  }
  const argon = rows.find((r) => r.id === "primitive:argon2id");
  if (argon) {
    lines.push(
      `argon2id (m=7 MiB, t=5, p=1, @noble/hashes in workerd): ${argon.rps.toFixed(1)} hashes/s/core, ${Math.round(argon.costUs / 1000)} ms each`,
    );
  }
  for (const r of rows) {
    const cache = cacheText(r);
    if (cache && r.group === "shop") lines.push(`${r.title}: ${cache}`);
  }
  // Its queue consumers were still at work when the load stopped: CPU µs/req counts that work, µs/req does not.
  const drained = rows.filter((r) => r.drainSeconds >= 1);
  if (drained.length > 0) {
    lines.push(
      `workerd kept working after the load stopped (events being consumed; counted in CPU µs/req, not in µs/req): ${drained.map((r) => `${r.title} ${r.drainSeconds.toFixed(1)} s`).join("; ")}`,
    );
  }
  return lines;
}

/** The tables that have rows (a catalog run has only the catalog's). */
function present(rows: Row[]): Table[] {
  const t = tables(rows);
  return [t.primitives, t.shop, catalogTable(rows)].filter((table) => table.rows.length > 0);
}

/** The console report. */
export function consoleReport(rows: Row[]): string {
  const v = verdicts(rows).map((x) => `${x.ok ? "✔" : "✘"} ${x.text}`);
  const t = present(rows).flatMap((table) => [plain(table), ""]);
  return [...t, ...notes(rows), ...catalogNotes(rows), "", ...v].join("\n");
}

/** bench/results/latest.md, summarised in the README's Benchmarks section. */
export function markdownReport(rows: Row[], header: string): string {
  const v = verdicts(rows).map((x) => `- ${x.ok ? "✅" : "❌"} ${x.text}`);
  const n = [...notes(rows), ...catalogNotes(rows)].map((line) => `${line}  `);
  const t = present(rows).flatMap((table) => [markdown(table), ""]);
  return [header, "", ...t, ...n, "", ...v, ""].join("\n");
}
