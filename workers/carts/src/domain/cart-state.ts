import type { Cart, CheckoutProblem, ItemRequest, ProductQuote } from "@edge-shop/contracts";
import { errorFields, log } from "@edge-shop/worker-kit";
import { CartExpiry, CartLimits } from "./cart-limits";

/** A line as stored: no price (prices are read from products on every view), the name only as a label of last resort. */
export interface StoredLine {
  productId: string;
  quantity: number;
  name: string;
}

/** A checkout in progress: the order id it is placed under and exactly the lines it orders. */
export interface PendingCheckout {
  orderId: string;
  userId: string;
  startedAt: number;
  items: ItemRequest[];
}

/** A guest cart's lines on their way into a user's cart (`claim`), kept until the user's cart has them. */
export interface PendingClaim {
  claimId: string;
  target: string;
  userId: string;
  lines: StoredLine[];
}

/** Everything one cart's object stores, as one value. */
export interface CartState {
  id: string;
  /** The owner's user id; null for a guest cart. */
  owner: string | null;
  lines: StoredLine[];
  createdAt: number;
  updatedAt: number;
  checkout: PendingCheckout | null;
  /**
   * The order that last emptied the cart, until the cart changes again (for `LAST_ORDER_MS` at most): a late
   * checkout of the same cart (another tab, a retry with another key) answers it.
   */
  lastOrder: { orderId: string; userId: string; at: number } | null;
  claim: PendingClaim | null;
  /** The claims this cart took in (the last few), so a claim that is delivered twice adds once. */
  absorbed: string[];
}

/** A refusal, as the worker renders it (a checkout's refusals have the same shape). */
export type CartProblem = CheckoutProblem;

export type Outcome = { ok: true; cart: Cart } | { ok: false; problem: CartProblem };

/** What a quote said about each product asked for: null when products does not know it. */
export type Quotes = Map<string, ProductQuote | null>;

const DAY_MS = 24 * 60 * 60 * 1000;
/** The currency an empty cart shows (products' default). */
export const EMPTY_CART_CURRENCY = "USD";

/** A new, empty cart. */
export function freshCart(id: string, owner: string | null, now: number): CartState {
  return {
    id,
    owner,
    lines: [],
    createdAt: now,
    updatedAt: now,
    checkout: null,
    lastOrder: null,
    claim: null,
    absorbed: [],
  };
}

/** When the cart is deleted unless it changes: 7 days after its last change for a guest, 60 for a user. */
export function expiresAt(state: CartState): number {
  const days = state.owner === null ? CartExpiry.guestTtlDays : CartExpiry.userTtlDays;
  return state.updatedAt + days * DAY_MS;
}

/** A guest cart is anyone's who holds its id; a user's cart is that user's only. */
export function canUse(state: CartState, userId: string | null): boolean {
  return state.owner === null || state.owner === userId;
}

export const problem = (status: CartProblem["status"], code: string, detail: string): CartProblem => ({
  status,
  code,
  detail,
});

export const notFound = (): Outcome => ({ ok: false, problem: problem(404, "not_found", "Cart not found") });

/** The answer when products could not be asked for prices (logged: the cause stays here). */
export function unavailable(error: unknown): Outcome {
  log("error", "products quote failed", { service: "carts", ...errorFields(error) });
  return {
    ok: false,
    problem: problem(503, "products_unavailable", "The catalog is not reachable; try again"),
  };
}

/** A change by the customer: the cart lives on from now, and a later checkout is a new order. */
export function touched(state: CartState): CartState {
  state.updatedAt = Date.now();
  state.lastOrder = null;
  return state;
}

/** The currency of the cart: that of its first line products still know. */
export function currencyOf(lines: StoredLine[], quotes: Quotes): string | undefined {
  for (const line of lines) {
    const quote = quotes.get(line.productId);
    if (quote) return quote.currency;
  }
  return undefined;
}

/**
 * Why `productId` cannot have `quantity` units in this cart, if it cannot: an unknown or inactive product (404),
 * then the line limit, the product's per-order limit, its stock, another currency than the cart's, a 51st line.
 */
export function refusal(
  state: CartState,
  quotes: Quotes,
  productId: string,
  quantity: number,
): CartProblem | undefined {
  const product = quotes.get(productId);
  if (!product?.isActive) return problem(404, "product_not_found", `No such product: ${productId}`);
  if (quantity > CartLimits.quantity) {
    return problem(409, "quantity_limit", `At most ${CartLimits.quantity} units of a product per cart`);
  }
  if (product.maxPerOrder !== null && quantity > product.maxPerOrder) {
    return problem(
      409,
      "max_per_order_exceeded",
      `At most ${product.maxPerOrder} units of ${product.name} per order`,
    );
  }
  if (quantity > product.stock) {
    return problem(409, "insufficient_stock", `Only ${product.stock} of ${product.name} in stock`);
  }
  const others = state.lines.filter((line) => line.productId !== productId);
  const currency = currencyOf(others, quotes);
  if (currency !== undefined && currency !== product.currency) {
    return problem(
      409,
      "mixed_currency",
      `This cart is in ${currency}; ${product.name} is sold in ${product.currency}`,
    );
  }
  if (others.length === state.lines.length && state.lines.length >= CartLimits.lines) {
    return problem(409, "cart_full", `A cart holds at most ${CartLimits.lines} products`);
  }
  return undefined;
}

/** Sets a line's quantity (0 removes it), labelled with the product's current name. */
export function setLine(state: CartState, productId: string, quantity: number, quotes: Quotes): void {
  const at = state.lines.findIndex((line) => line.productId === productId);
  if (quantity <= 0) {
    if (at >= 0) state.lines.splice(at, 1);
    return;
  }
  const name = quotes.get(productId)?.name ?? state.lines[at]?.name ?? productId;
  if (at >= 0) state.lines[at] = { productId, quantity, name };
  else state.lines.push({ productId, quantity, name });
}

/**
 * Adds a claimed guest cart's lines: quantities add up, capped by the line limit, the per-order limit and the
 * stock (never below what the user already had); lines of products no longer sold, of another currency than the
 * cart's, or beyond the 50th line are left out.
 */
export function mergeLines(state: CartState, incoming: StoredLine[], quotes: Quotes): void {
  for (const line of incoming) {
    const product = quotes.get(line.productId);
    if (!product?.isActive) continue;
    const currency = currencyOf(state.lines, quotes);
    if (currency !== undefined && currency !== product.currency) continue;
    const existing = state.lines.find((l) => l.productId === line.productId)?.quantity ?? 0;
    if (existing === 0 && state.lines.length >= CartLimits.lines) continue;
    const cap = Math.min(CartLimits.quantity, product.maxPerOrder ?? CartLimits.quantity, product.stock);
    const quantity = Math.max(existing, Math.min(existing + line.quantity, cap));
    if (quantity > 0) setLine(state, line.productId, quantity, quotes);
  }
}

/** Takes what an order bought out of the cart: lines added while it was being placed stay. */
export function subtractOrdered(state: CartState, items: ItemRequest[]): void {
  for (const item of items) {
    const line = state.lines.find((l) => l.productId === item.productId);
    if (line) line.quantity -= item.quantity;
  }
  state.lines = state.lines.filter((line) => line.quantity > 0);
}

/** The API's `cart`: every line at its current catalog price, marked unavailable when it cannot be ordered. */
export function viewOf(state: CartState, quotes: Quotes): Cart {
  const currency = currencyOf(state.lines, quotes) ?? EMPTY_CART_CURRENCY;
  const items = state.lines.map((line) => {
    const product = quotes.get(line.productId);
    if (!product) {
      return {
        productId: line.productId,
        name: line.name,
        unitPrice: 0,
        quantity: line.quantity,
        lineTotal: 0,
        available: false,
      };
    }
    const available =
      product.isActive &&
      product.currency === currency &&
      line.quantity <= product.stock &&
      (product.maxPerOrder === null || line.quantity <= product.maxPerOrder);
    return {
      productId: line.productId,
      name: product.name,
      unitPrice: product.price,
      quantity: line.quantity,
      lineTotal: product.price * line.quantity,
      available,
    };
  });
  return {
    id: state.id,
    userId: state.owner,
    items,
    subtotal: items.reduce((sum, item) => sum + item.lineTotal, 0),
    currency,
    itemCount: items.reduce((sum, item) => sum + item.quantity, 0),
    updatedAt: new Date(state.updatedAt).toISOString(),
    expiresAt: new Date(expiresAt(state)).toISOString(),
  };
}
