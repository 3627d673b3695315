import { ms } from "./figures.ts";
import type { Row } from "./measure.ts";
import type { Verdict } from "./report.ts";

// A flash sale's lines (issue 27): what it sold, counted in D1, and how well browsing stayed cached meanwhile.

/** The browsing reads' hit rate of a line (lists and searches), or undefined when it read neither. */
export function browseHitRate(r: Row): number | undefined {
  let hit = 0;
  let total = 0;
  for (const label of ["list", "search"]) {
    const t = r.cache[label];
    if (t) {
      hit += t.hit;
      total += t.hit + t.miss;
    }
  }
  return total === 0 ? undefined : hit / total;
}

/** A flash sale, as the issue states it: every unit sold and no more (D1), the rest refused, browsing cached. */
export function saleText(r: Row): string {
  const sale = r.sale;
  if (!sale) return "";
  const perSecond = sale.created / Math.max(sale.sellOutSeconds, 1e-9);
  return (
    `${sale.sold.toLocaleString("en-US")} of ${sale.units.toLocaleString("en-US")} units sold (D1), ` +
    `${sale.created.toLocaleString("en-US")} orders created at ${Math.round(perSecond)} orders/s ` +
    `(p99 ${ms(sale.createdP99)} ms), ${sale.refused.toLocaleString("en-US")} refused (409 insufficient_stock)`
  );
}

export function saleVerdicts(r: Row): Verdict[] {
  const sale = r.sale;
  if (!sale) return [];
  const fiveXx = Object.entries(r.statuses)
    .filter(([key]) => / 5\d\d$/.test(key))
    .reduce((n, [, count]) => n + count, 0);
  const hits = browseHitRate(r);
  return [
    {
      ok: sale.sold === sale.units && sale.created === sale.units && fiveXx === 0,
      text: `${r.title}: ${saleText(r)}, ${fiveXx} 5xx`,
    },
    {
      ok: hits !== undefined && hits >= 0.99,
      text: `browsing during the flash sale: lists and searches ${hits === undefined ? "–" : (hits * 100).toFixed(1)} % cache hits (target ≥ 99 %)`,
    },
  ];
}
