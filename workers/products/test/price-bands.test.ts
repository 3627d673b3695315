import { env } from "cloudflare:workers";
import { ProductLimits } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { type Band, bandOf, bandsOf } from "../src/catalog/price-bands";
import { prng } from "./catalog-model";
import { insertProducts, uniqueWord } from "./helpers";

const EDGES = [0, 1, 9, 10, 11, 99, 100, 109, 110, 999, 1000, 1099, 1100, 1999, 2000, 9999, 10_000, 123_456];
const PRICES = [...EDGES, 999_999_999, ProductLimits.price];

const contains = (band: Band, price: number) => bandOf(band.level, price) === band.band;

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

  it("cut a range into bands that hold each of its prices once, in price order, and few of them", () => {
    const random = prng(7);
    const ranges: [number | undefined, number | undefined][] = [
      [undefined, undefined],
      [0, 0],
      [5, 4],
    ];
    for (let i = 0; i < 300; i++) {
      const draw = () => Math.floor(10 ** (random() * 9.5));
      const [a, b] = [draw(), draw()].sort((x, y) => x - y);
      ranges.push([random() < 0.1 ? undefined : a, random() < 0.1 ? undefined : b]);
    }
    for (const [min, max] of ranges) {
      const low = min ?? 0;
      const high = max ?? ProductLimits.price;
      const bands = bandsOf(min, max);
      if (low > high) {
        expect(bands).toEqual([]);
        continue;
      }
      expect(bands.length).toBeLessThanOrEqual(60);
      const samples = [low, high, ...EDGES.filter((p) => p >= low && p <= high)];
      for (let j = 0; j < 20; j++) samples.push(low + Math.floor(random() * (high - low + 1)));
      for (const price of samples) {
        expect(
          bands.filter((band) => contains(band, price)),
          `${price} in ${low}–${high}`,
        ).toHaveLength(1);
      }
      // In price order: each band's lowest price in range lies above the one before it.
      const firstPrices = bands.map(
        (band) => samples.filter((p) => contains(band, p)).sort((x, y) => x - y)[0],
      );
      const known = firstPrices.filter((p): p is number => p !== undefined);
      expect(known).toEqual([...known].sort((x, y) => x - y));
    }
  });
});
