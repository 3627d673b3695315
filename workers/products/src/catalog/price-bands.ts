import { ProductLimits } from "@edge-shop/contracts";

// Price bands: a price range cut into bands of prices that share their digit count (`digits`), their first digit
// too (`lead1`), or their first two digits (`lead2`). Each band level has an index per sort (src/db/schema.ts), so a
// price range under another sort is a merge of index walks, one per band, each already in page order. See
// docs/architecture.md, "Catalog and search".

/** A band level, from the widest: `digits` (1000–9999), `lead1` (1000–1999), `lead2` (1000–1099). */
export type BandLevel = "digits" | "lead1" | "lead2";

/** One band of a range: its level and its number (the value of that level's generated column). */
export interface Band {
  level: BandLevel;
  band: number;
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

/**
 * The fewest bands whose union is the prices from `min` to `max`, lowest first: the widest band that starts at the
 * next price and ends within the range, else the `lead2` band there (only the first and last can stick out of the
 * range, by less than a `lead2` band; the statement's price filter cuts them).
 */
export function bandsOf(min = 0, max: number = ProductLimits.price): Band[] {
  const bands: Band[] = [];
  let price = min;
  while (price <= max) {
    const from = price;
    const whole = LEVELS.find((level) => {
      const [start, end] = bandRange(level, from);
      return start === from && end <= max;
    });
    const level = whole ?? "lead2";
    bands.push({ level, band: bandOf(level, from) });
    price = bandRange(level, from)[1] + 1;
  }
  return bands;
}
