import { ProductLimits } from "@edge-shop/contracts";

// Price bands: a price range cut into bands of prices that share their digit count (`digits`), their first digit
// too (`lead1`), or their first two digits (`lead2`). Each band level has an index per sort (src/db/schema.ts), so a
// price range under another sort is a merge of index walks, one per band, each already in page order. See
// docs/architecture.md, "Catalog and search".

/** A band level, from the widest: `digits` (1000–9999), `lead1` (1000–1999), `lead2` (1000–1099). */
export type BandLevel = "digits" | "lead1" | "lead2";

/** One walk of a range: a band (its level and the value of that level's generated column), or every price. */
export type Band = { level: BandLevel; band: number } | { level: "all" };

/**
 * Where a range's rows are: the lowest and highest price of a row in the range, and the nearest prices of rows
 * outside it (`below` the range's lowest bound, `above` its highest; none when no row lies there). Rows are those
 * the list's other filters keep.
 */
export interface PriceSpan {
  low: number;
  high: number;
  below?: number;
  above?: number;
}

/**
 * The span a range's bounds alone tell: rows may lie right outside each bound given (cut there, a band skips
 * little outside wherever the rows are).
 */
export function boundsSpan(minPrice: number | undefined, maxPrice: number | undefined): PriceSpan {
  return {
    low: minPrice ?? 0,
    high: maxPrice ?? ProductLimits.price,
    ...(minPrice !== undefined ? { below: minPrice - 1 } : {}),
    ...(maxPrice !== undefined ? { above: maxPrice + 1 } : {}),
  };
}

const LEVELS: BandLevel[] = ["digits", "lead1", "lead2"];

// Of a price with `length` digits, how many digits from the right vary within a band of each level.
function freeDigits(level: BandLevel, length: number): number {
  if (level === "digits") return length;
  return Math.max(0, length - (level === "lead1" ? 1 : 2));
}

/** The band of `price` at `level`, as the generated columns of src/db/schema.ts compute it. */
export function bandOf(level: BandLevel, price: number): number {
  const text = String(price);
  if (level === "digits") return text.length;
  if (level === "lead1") return text.length * 10 + Number(text.slice(0, 1));
  return text.length * 100 + Number(`${text}0`.slice(0, 2));
}

// The lowest and highest price of the band of `price` at `level` (0–9 are each a band of their own but at `digits`).
function bandRange(level: BandLevel, price: number): [number, number] {
  const length = String(price).length;
  if (level === "digits") return [length === 1 ? 0 : 10 ** (length - 1), 10 ** length - 1];
  const unit = 10 ** freeDigits(level, length);
  const start = Math.floor(price / unit) * unit;
  return [start, start + unit - 1];
}

// Whether a band's walk skips little outside the range: at each end, what lies beyond the nearest row outside
// (prices a skipped row can have) is narrower than a `lead2` band of its prices.
function skipsLittle(start: number, end: number, span: PriceSpan): boolean {
  const slack = 10 ** freeDigits("lead2", String(start).length);
  const under = span.below !== undefined && span.below >= start ? span.below - start + 1 : 0;
  const over = span.above !== undefined && span.above <= end ? end - span.above + 1 : 0;
  return under < slack && over < slack;
}

/**
 * The fewest walks that hold every row of the span, lowest prices first, none overlapping: the whole sort when no
 * row lies outside the range; else from the span's lowest price on, the widest band that starts after the one
 * before and skips little outside the range, or the `lead2` band there (it sticks out by less than itself). The
 * statement's price filter drops what a walk holds outside the range.
 */
export function cutBands(span: PriceSpan): Band[] {
  if (span.below === undefined && span.above === undefined) return [{ level: "all" }];
  const bands: Band[] = [];
  let price = span.low;
  let free = 0;
  while (price <= span.high) {
    const at = price;
    const fits = LEVELS.find((level) => {
      const [start, end] = bandRange(level, at);
      return start >= free && skipsLittle(start, end, span);
    });
    const level = fits ?? "lead2";
    bands.push({ level, band: bandOf(level, at) });
    free = bandRange(level, at)[1] + 1;
    price = free;
  }
  return bands;
}
