import { env } from "cloudflare:workers";
import { ProductLimits } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { type Band, bandOf, cutBands, type PriceSpan } from "../src/catalog/price-bands";
import { prng } from "./catalog-model";
import { insertProducts, uniqueWord } from "./helpers";

const EDGES = [0, 1, 9, 10, 11, 99, 100, 109, 110, 999, 1000, 1099, 1100, 1999, 2000, 9999, 10_000, 123_456];
const PRICES = [...EDGES, 999_999_999, ProductLimits.price];

const contains = (band: Band, price: number) =>
  band.level === "all" || bandOf(band.level, price) === band.band;

describe("price bands", () => {
  it("numbers each price's bands as the generated columns of D1 do", async () => {
    const category = uniqueWord("bands");
    await insertProducts(PRICES.map((price) => ({ category, price })));
    const { results } = await env.DB.prepare(
      "SELECT price, price_digits, price_lead1, price_lead2 FROM products WHERE category = ? ORDER BY price",
    )
      .bind(category)
      .all<{ price: number; price_digits: number; price_lead1: number; price_lead2: number }>();
    expect(results.map((row) => [row.price_digits, row.price_lead1, row.price_lead2])).toEqual(
      results.map((row) => [
        bandOf("digits", row.price),
        bandOf("lead1", row.price),
        bandOf("lead2", row.price),
      ]),
    );
    expect(results).toHaveLength(PRICES.length);
  });

  it("cut a span into bands that hold each price once, in price order, and few of them", () => {
    const random = prng(7);
    const draw = () => Math.floor(10 ** (random() * 9.5));
    const spans: PriceSpan[] = [{ low: 0, high: 0, above: 1 }];
    for (let i = 0; i < 300; i++) {
      const [below, low, high, above] = [draw(), draw(), draw(), draw()].sort((x, y) => x - y) as [
        number,
        number,
        number,
        number,
      ];
      spans.push({
        low: low + 1,
        high: Math.max(low + 1, high),
        ...(random() < 0.2 ? {} : { below: Math.min(below, low) }),
        ...(random() < 0.2 ? {} : { above: Math.max(above, high) + 2 }),
      });
    }
    for (const span of spans) {
      const bands = cutBands(span);
      const label = JSON.stringify(span);
      expect(bands.length, label).toBeLessThanOrEqual(60);
      const inside = [span.low, span.high, ...EDGES.filter((p) => p >= span.low && p <= span.high)];
      for (let j = 0; j < 20; j++) inside.push(span.low + Math.floor(random() * (span.high - span.low + 1)));
      for (const price of inside) {
        expect(
          bands.filter((band) => contains(band, price)),
          `${price} in ${label}`,
        ).toHaveLength(1);
      }
      // No two bands share a price anywhere (a row written outside the span is never read twice).
      for (const price of [...PRICES, span.below ?? 0, span.above ?? 0]) {
        expect(bands.filter((band) => contains(band, price)).length, `${price} in ${label}`).toBeLessThan(2);
      }
      // The first band holds the lowest price, the last the highest: with the order below, the bands between
      // lie inside the span (their walks check no price).
      expect(contains(bands[0] as Band, span.low) && contains(bands.at(-1) as Band, span.high), label).toBe(
        true,
      );
      // In price order: each band's lowest price in the span lies above the one before it.
      const firstPrices = bands.map(
        (band) => inside.filter((p) => contains(band, p)).sort((x, y) => x - y)[0],
      );
      const known = firstPrices.filter((p): p is number => p !== undefined);
      expect(known).toEqual([...known].sort((x, y) => x - y));
    }
  });

  it("walks the whole sort when no row lies outside the range, and widens bands over prices no row has", () => {
    expect(cutBands({ low: 50, high: 190_000 })).toEqual([{ level: "all" }]);
    // A range of ~600 at 50,000 products: 40,123–50,456 was 11 bands; rows lie at 40,099 and 50,499.
    expect(cutBands({ low: 40_199, high: 50_399, below: 40_099, above: 50_499 })).toEqual([
      { level: "lead1", band: 54 },
      { level: "lead2", band: 550 },
    ]);
    // A ceiling far above the dearest product: its bands stop where the prices stop.
    expect(cutBands({ low: 50, high: 29_999, above: 30_099 })).toEqual([
      { level: "digits", band: 2 },
      { level: "digits", band: 3 },
      { level: "digits", band: 4 },
      { level: "lead1", band: 51 },
      { level: "lead1", band: 52 },
    ]);
    // Rows just outside both bounds: only lead2 bands may stick out (by less than one of them).
    expect(cutBands({ low: 1050, high: 1234, below: 1049, above: 1235 })).toEqual([
      { level: "lead2", band: 410 },
      { level: "lead2", band: 411 },
      { level: "lead2", band: 412 },
    ]);
  });
});
