import type { Row } from "./measure.ts";

// A hand-written SVG: one line per measured row, throughput bars on the left and p99 bars on the right,
// both on log scales (the rows span from a few logins per second to tens of thousands of bare requests).

const ROW_H = 22;
const LABEL_W = 350;
const BAR_W = 300;
const GAP = 90;
const TOP = 56;

function xml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function logScale(values: number[]): (v: number) => number {
  const lo = Math.log10(Math.max(0.01, Math.min(...values)) / 2);
  const hi = Math.log10(Math.max(...values) * 1.1);
  return (v) => (BAR_W * (Math.log10(Math.max(v, 0.01)) - lo)) / Math.max(1e-9, hi - lo);
}

function format(v: number, unit: string): string {
  const text = v >= 100 ? Math.round(v).toLocaleString("en-US") : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${text}${unit}`;
}

/** bench/results/latest.svg */
export function chart(rows: Row[], subtitle: string): string {
  const rps = logScale(rows.map((r) => r.rps));
  const p99 = logScale(rows.map((r) => r.p99));
  const width = LABEL_W + 2 * BAR_W + 2 * GAP;
  const height = TOP + rows.length * ROW_H + 30;
  const x1 = LABEL_W;
  const x2 = LABEL_W + BAR_W + GAP;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="12" y="20" font-size="15" font-weight="600">edge-shop bench: throughput and p99 latency per scenario</text>`,
    `<text x="12" y="38" fill="#555">${xml(subtitle)}</text>`,
    `<text x="${x1}" y="${TOP - 4}" font-weight="600">requests per second (log scale)</text>`,
    `<text x="${x2}" y="${TOP - 4}" font-weight="600">p99 latency, ms (log scale)</text>`,
  ];
  rows.forEach((r, i) => {
    const y = TOP + i * ROW_H;
    const color = r.group === "primitive" ? "#8aa4c8" : r.errors > 0 ? "#d9534f" : "#2f6db5";
    out.push(
      `<text x="${LABEL_W - 8}" y="${y + 15}" text-anchor="end">${xml(r.title)}</text>`,
      `<rect x="${x1}" y="${y + 3}" width="${rps(r.rps).toFixed(1)}" height="${ROW_H - 6}" fill="${color}"/>`,
      `<text x="${(x1 + rps(r.rps) + 4).toFixed(1)}" y="${y + 15}">${format(r.rps, "")}</text>`,
      `<rect x="${x2}" y="${y + 3}" width="${p99(r.p99).toFixed(1)}" height="${ROW_H - 6}" fill="#e39b3b"/>`,
      `<text x="${(x2 + p99(r.p99) + 4).toFixed(1)}" y="${y + 15}">${format(r.p99, " ms")}</text>`,
    );
  });
  const legendY = TOP + rows.length * ROW_H + 18;
  out.push(
    `<rect x="12" y="${legendY - 10}" width="10" height="10" fill="#8aa4c8"/><text x="26" y="${legendY}">primitive</text>`,
    `<rect x="96" y="${legendY - 10}" width="10" height="10" fill="#2f6db5"/><text x="110" y="${legendY}">shop scenario</text>`,
    `<rect x="210" y="${legendY - 10}" width="10" height="10" fill="#d9534f"/><text x="224" y="${legendY}">scenario with errors</text>`,
    "</svg>",
    "",
  );
  return out.join("\n");
}
