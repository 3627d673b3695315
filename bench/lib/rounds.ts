import type { Row } from "./measure.ts";
import { judgedEfficiency } from "./report.ts";

// This VM's speed drifts by 20–30 % over minutes, more than most gaps the bench looks for. So a run measures
// every scenario in several rounds (primitives, then the shop, again and again) and reports, per scenario,
// the round with the median result: each round's efficiencies come from primitives measured in that round,
// and one slow or fast stretch of the machine moves one round, not the report.

/** What a row is ranked by across rounds: the judged efficiency of a scenario, the cost of a primitive. */
function rankedValue(row: Row): number {
  return row.group === "shop" ? (judgedEfficiency(row) ?? 0) : row.costUs;
}

/**
 * One row per scenario: the round with the median value (the lower middle one for an even count), with every
 * round's value in `roundValues` (in round order) and errors and responses summed over the rounds, so "no
 * errors under load" covers every request sent.
 */
export function medianRows(rounds: Row[][]): Row[] {
  const ids = [...new Set(rounds.flatMap((rows) => rows.map((r) => r.id)))];
  return ids.map((id) => {
    const measured = rounds.flatMap((rows) => rows.filter((r) => r.id === id));
    const ranked = [...measured].sort((a, b) => rankedValue(a) - rankedValue(b));
    const median = ranked[Math.floor((ranked.length - 1) / 2)] as Row;
    return {
      ...median,
      errors: measured.reduce((sum, r) => sum + r.errors, 0),
      responses: measured.reduce((sum, r) => sum + r.responses, 0),
      roundValues: measured.map(rankedValue),
    };
  });
}
