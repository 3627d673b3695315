import { describe, expect, it } from "vitest";
import { goodsPart, lineShares, returnedShare } from "../src/domain/refund-shares";

describe("refund shares (minor units, remainder on the last line)", () => {
  it("splits the charged amount over the lines in proportion, adding up to it exactly", () => {
    const lines = [
      { productId: "a", quantity: 3, lineTotal: 1000 },
      { productId: "b", quantity: 1, lineTotal: 1000 },
      { productId: "c", quantity: 1, lineTotal: 1000 },
    ];
    // 10 % off 3000, plus 7 % tax on the rest: 2889 charged.
    const shares = lineShares(lines, 2889);
    expect(shares).toEqual([963, 963, 963]);
    expect(lineShares(lines, 1000)).toEqual([333, 333, 334]);
    expect(lineShares(lines, 1000).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(lineShares([{ productId: "a", quantity: 1, lineTotal: 0 }], 500)).toEqual([500]);
  });

  it("leaves shipping and its tax out of what returned lines share", () => {
    // 20.00 of goods, 4.99 shipping, 19 % tax on both: 29.74 charged, of which 23.80 paid for the goods.
    expect(goodsPart(2974, { subtotal: 2000, discountTotal: 0, shippingTotal: 499 })).toBe(2380);
    // 10.00 off 40.00, free shipping: the whole charge paid for the goods.
    expect(goodsPart(3000, { subtotal: 4000, discountTotal: 1000, shippingTotal: 0 })).toBe(3000);
    expect(goodsPart(499, { subtotal: 1000, discountTotal: 1000, shippingTotal: 499 })).toBe(0);
    expect(goodsPart(2500)).toBe(2500);
  });

  it("returns of a line's units, one by one or at once, add up to its share", () => {
    const share = 1000;
    const oneByOne = [0, 1, 2].map((before) => returnedShare(share, 3, before, 1));
    expect(oneByOne).toEqual([333, 333, 334]);
    expect(returnedShare(share, 3, 0, 3)).toBe(1000);
    expect(returnedShare(share, 3, 1, 2)).toBe(667);
  });

  it("stays exact for large amounts", () => {
    const shares = lineShares(
      [
        { productId: "a", quantity: 1, lineTotal: 9_000_000_000 },
        { productId: "b", quantity: 1, lineTotal: 1 },
      ],
      9_000_000_001,
    );
    expect(shares).toEqual([9_000_000_000, 1]);
  });
});
