/** The money of an order (DESIGN "Money at checkout"): integers of minor units of its one currency. */
export interface Totals {
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  taxTotal: number;
  total: number;
}

/** A promotion's terms, as far as the amount goes. */
export interface DiscountTerms {
  type: "percentage" | "fixed";
  value: number;
}

/** `numerator / denominator` rounded half-up, for non-negative integers (exact: no floating point). */
export function roundHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** The discount a promotion gives on `subtotal`: a percentage rounded half-up once, a fixed amount capped by it. */
export function discountOf(terms: DiscountTerms, subtotal: number): number {
  const raw =
    terms.type === "percentage" ? roundHalfUp(subtotal * Math.min(terms.value, 100), 100) : terms.value;
  return Math.max(0, Math.min(raw, subtotal));
}

/**
 * The order's figures: tax is the destination's rate (basis points) on subtotal − discount + shipping, rounded
 * half-up once per order; `total` is what is charged.
 */
export function orderTotals(input: {
  subtotal: number;
  discount?: DiscountTerms | undefined;
  shipping: number;
  taxRateBp: number;
}): Totals {
  const { subtotal, shipping } = input;
  const discountTotal = input.discount ? discountOf(input.discount, subtotal) : 0;
  const taxable = subtotal - discountTotal + shipping;
  const taxTotal = roundHalfUp(taxable * input.taxRateBp, 10_000);
  return {
    subtotal,
    discountTotal,
    shippingTotal: shipping,
    taxTotal,
    total: taxable + taxTotal,
  };
}
