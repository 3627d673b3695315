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
