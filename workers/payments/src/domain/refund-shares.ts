/** A line of the order as it was bought. */
export interface BoughtLine {
  productId: string;
  quantity: number;
  lineTotal: number;
}

/**
 * What each line of the order cost in the amount charged: `charged` split in proportion to the lines' totals,
 * each share rounded down to the minor unit and the remainder on the last line, so the shares add up to exactly
 * `charged` (a discount and tax spread over the lines with it).
 */
export function lineShares(lines: BoughtLine[], charged: number): number[] {
  const subtotal = lines.reduce((sum, line) => sum + BigInt(line.lineTotal), 0n);
  if (subtotal === 0n) return lines.map((_, i) => (i === lines.length - 1 ? charged : 0));
  const shares = lines.map((line) => Number((BigInt(charged) * BigInt(line.lineTotal)) / subtotal));
  const rest = charged - shares.reduce((sum, share) => sum + share, 0);
  if (shares.length > 0) shares[shares.length - 1] = (shares.at(-1) ?? 0) + rest;
  return shares;
}

/**
 * The part of a line's share that `quantity` returned units make when `before` units of the line were returned
 * already: the difference of the rounded-down shares of all units returned after and before, so the returns of
 * a line add up to exactly its share once all its units are back.
 */
export function returnedShare(share: number, bought: number, before: number, quantity: number): number {
  const upTo = (units: number) => Number((BigInt(share) * BigInt(units)) / BigInt(bought));
  return upTo(before + quantity) - upTo(before);
}

/** The figures of an order's breakdown that say how much of its charge paid for shipping. */
export interface ChargeParts {
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
}

/**
 * The part of the charge that paid for the goods, their tax included: the charge in proportion of the discounted
 * subtotal to the taxed base (subtotal − discount + shipping). Shipping and its tax stay out of a return's refund;
 * refunding all that is left gives them back. Without a breakdown (an order from before it), the whole charge.
 */
export function goodsPart(charged: number, parts?: ChargeParts): number {
  if (!parts) return charged;
  const goods = BigInt(Math.max(0, parts.subtotal - parts.discountTotal));
  const base = goods + BigInt(parts.shippingTotal);
  if (base === 0n) return charged;
  return Number((BigInt(charged) * goods) / base);
}
