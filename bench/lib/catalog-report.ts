import { ms } from "./figures.ts";
import type { Row } from "./measure.ts";
import type { Verdict } from "./report.ts";

// The catalog lines side by side: each shape on the demo catalog and on the large one, with the D1 rows each
// request read. Targets (issue 28): an uncached list or search reads at most 2,000 rows at the large size and
// costs at most 1.5× the same request on the demo catalog; a cached read and the writes cost what they cost there.

export const MAX_ROWS = 2000;
const MAX_RATIO = { read: 1.5, write: 1.5, cached: 1.2 } as const;

/**
 * D1 rows per call of a line's figure routes (summed over them: an order and its cancel read both); for a cached
 * read, per request (its misses are rare).
 */
export function rowsPerCall(row: Row): number | undefined {
  const routes = row.catalog?.d1Routes ?? [];
  const tallies = routes.map((route) => row.d1?.[route]).filter((t) => t !== undefined);
  if (row.catalog?.kind === "cached") return tallies.reduce((sum, t) => sum + t.rows, 0) / row.responses;
  if (tallies.length === 0) return undefined;
  return tallies.reduce((sum, t) => sum + t.rows / t.calls, 0);
}

interface Pair {
  shape: string;
  kind: "cached" | "read" | "write";
  small: Row;
  large: Row;
}

function pairs(rows: Row[]): Pair[] {
  const lines = rows.filter((r) => r.catalog);
  const shapes = [...new Set(lines.map((r) => r.catalog?.shape ?? ""))];
  const out: Pair[] = [];
  for (const shape of shapes) {
    const [small, large] = lines
      .filter((r) => r.catalog?.shape === shape)
      .sort((a, b) => (a.catalog?.size ?? 0) - (b.catalog?.size ?? 0));
    if (small && large && large !== small)
      out.push({ shape, kind: small.catalog?.kind ?? "read", small, large });
  }
  return out;
}

const int = (n: number | undefined) => (n === undefined ? "–" : Math.round(n).toLocaleString("en-US"));

/** The table: one line per shape, both sizes, their ratio. */
export function catalogTable(rows: Row[]): { head: string[]; rows: string[][] } {
  const both = pairs(rows);
  const size = (r: Row) => (r.catalog?.size ?? 0).toLocaleString("en-US");
  const head = ["shape", "products", "µs/req", "p50 ms", "D1 rows/req", "products", "µs/req", "p50 ms"];
  return {
    head: [...head, "D1 rows/req", "cost ×", "p50 ×", "target", "errors"],
    rows: both.map(({ small, large, kind }) => [
      large.title.replace(/, [\d,]+ products$/, ""),
      size(small),
      int(small.costUs),
      ms(small.p50),
      int(rowsPerCall(small)),
      size(large),
      int(large.costUs),
      ms(large.p50),
      int(rowsPerCall(large)),
      (large.costUs / small.costUs).toFixed(2),
      (large.p50 / small.p50).toFixed(2),
      kind === "read" ? `≤ ${MAX_RATIO.read}×, ≤ ${int(MAX_ROWS)} rows` : `≤ ${MAX_RATIO[kind]}×`,
      String(small.errors + large.errors),
    ]),
  };
}

/** Per shape: its cost against the demo catalog's and, for uncached reads, the rows it read. */
export function catalogVerdicts(rows: Row[]): Verdict[] {
  return pairs(rows).map(({ large, small, kind }) => {
    const ratio = large.costUs / small.costUs;
    const read = rowsPerCall(large);
    const within = ratio <= MAX_RATIO[kind] && (kind !== "read" || (read !== undefined && read <= MAX_ROWS));
    const rowsText = read === undefined ? "" : `, ${int(read)} D1 rows a request`;
    return {
      ok: within,
      text: `${large.title}: ${ratio.toFixed(2)}× the demo catalog's cost (target ≤ ${MAX_RATIO[kind]}×)${rowsText}`,
    };
  });
}

/** Notes: each line's D1 rows by route, and its rounds. */
export function catalogNotes(rows: Row[]): string[] {
  return rows
    .filter((r) => r.catalog && r.d1)
    .map((r) => {
      const routes = Object.entries(r.d1 ?? {})
        .map(([route, t]) => `${route} ${int(t.rows / t.calls)} rows × ${int(t.calls)}`)
        .join(", ");
      const rounds = (r.roundValues ?? []).map((v) => int(v)).join(" / ");
      return `${r.title}: D1 ${routes}; µs/req by round ${rounds}`;
    });
}
