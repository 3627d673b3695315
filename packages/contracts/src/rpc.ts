import type { EventEnvelope, OrderBreakdown } from "./events";
import type { Identity } from "./headers";
import type { Order } from "./orders";
import type { FieldError } from "./problem";

/** An item as a client asks for it. */
export interface ItemRequest {
  productId: string;
  quantity: number;
}

/** An item priced by the products service from its own data. */
export interface PricedItem {
  productId: string;
  name: string;
  unitPrice: number;
  currency: string;
  quantity: number;
  lineTotal: number;
}

export type PriceResult =
  | { ok: true; items: PricedItem[]; total: number; currency: string }
  | { ok: false; reason: "not_found" | "inactive" | "mixed_currency"; productIds: string[] };

export type ReserveResult =
  | { ok: true; items: PricedItem[]; total: number; currency: string }
  | {
      ok: false;
      reason: "insufficient_stock" | "not_found" | "inactive" | "mixed_currency" | "max_per_order";
      productIds: string[];
    };

/** A product's current terms of sale, as a cart shows them: read from D1, never from a cache. */
export interface ProductQuote {
  productId: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
  isActive: boolean;
  /** Units one order may take; null when only the order's own limits apply. */
  maxPerOrder: number | null;
}

/** A reservation still holding stock past its expiry: its order must be asked about (`settleHolds`). */
export interface ExpiredHold {
  orderId: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * What to do with expired holds: give back the stock of orders that never appeared or have ended; keep the others
 * until a new expiry (epoch ms; null: the order is paid, the stock is sold and goes back only by `release`).
 */
export interface HoldSettlement {
  release: string[];
  keep: { orderId: string; until: number | null }[];
}

/**
 * RPC surface of the products worker (`ProductsRpc` entrypoint), used by orders. RPC carries no headers: the
 * optional last argument of every method is the caller's request or correlation id, for the callee's logs.
 */
export interface ProductsApi {
  price(items: ItemRequest[], correlationId?: string): Promise<PriceResult>;
  /** Takes every item or none; idempotent per `orderId`. */
  reserve(orderId: string, items: ItemRequest[], correlationId?: string): Promise<ReserveResult>;
  /** Returns a reservation's stock once, however often it is called. */
  release(orderId: string, correlationId?: string): Promise<{ released: boolean }>;
  /**
   * Puts returned units of an order back in stock (and out of its reservation), once per `returnId`; `returned`
   * false when already done, the reservation was released, or it holds fewer units.
   */
  returnStock(
    orderId: string,
    returnId: string,
    items: ItemRequest[],
    correlationId?: string,
  ): Promise<{ returned: boolean }>;
  /** The current terms of the given products, in one read; unknown ids are left out. Used by carts. */
  quote(productIds: string[], correlationId?: string): Promise<ProductQuote[]>;
  /** Held reservations whose expiry is at or before `now`, oldest first (orders' sweep settles them). */
  expiredHolds(now: number, limit: number, correlationId?: string): Promise<ExpiredHold[]>;
  /** Releases and re-dates expired holds as orders decided; answers the order ids whose stock went back. */
  settleHolds(settlement: HoldSettlement, correlationId?: string): Promise<{ released: string[] }>;
}

export interface OrderLine {
  productId: string;
  name: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}

export interface OrderView {
  id: string;
  userId: string;
  status: "pending" | "paid" | "shipped" | "delivered" | "cancelled" | "refunded";
  items: OrderLine[];
  /** What is charged: subtotal − discount + shipping + tax. */
  total: number;
  currency: string;
  breakdown?: OrderBreakdown;
  refundedTotal: number;
}

/** RPC surface of the orders worker (`OrdersRpc` entrypoint), used by payments. */
export interface OrdersApi {
  /** The order as the given caller may see it, or null (missing, or another user's). */
  getOrder(orderId: string, caller: Identity, correlationId?: string): Promise<OrderView | null>;
  /**
   * Applies a `payment.refunded` event of a refund made through `POST /api/orders/:id/refunds` now (the same
   * event also reaches the orders queue; it is applied once): refunded total, status, restock. The order after,
   * in the API's shape.
   */
  applyRefund(event: EventEnvelope<"payment.refunded">): Promise<Order>;
  /**
   * Marks a pending order paid; a no-op when it already is. Same effect as the `payment.succeeded` event.
   * Returns the resulting status (e.g. `cancelled` when it expired first) and the id of the payment that paid
   * the order (another id than yours: the order was paid twice, refund yours). Throws when the order is unknown.
   */
  markPaid(
    orderId: string,
    paymentId: string,
    correlationId: string,
  ): Promise<{ status: OrderView["status"]; paymentId?: string | null }>;
}

export interface Contact {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** RPC surface of the users worker (`UsersRpc` entrypoint), used by notifications. */
export interface UsersApi {
  /**
   * The contacts of the given users, in no particular order; unknown ids are left out. One call (one D1 read)
   * for a whole batch of events: notifications looks its recipients up per queue batch, not per message.
   */
  contacts(userIds: string[], correlationId?: string): Promise<Contact[]>;
}

/** A refusal a checkout answered, kept by the cart so that the checkouts that waited for it answer it too. */
export interface CheckoutProblem {
  status: 400 | 404 | 409 | 422 | 503;
  code: string;
  detail: string;
  errors?: FieldError[];
  reason?: string;
}

/**
 * What the cart says when orders starts a checkout of it. `lead`: this call places the order, under `orderId`,
 * with exactly `items`. `created`: the cart's checkout already made that order (a second tab, a retry with another
 * key): answer it. `failed`: the checkout this one waited for was refused: answer the same. `stale`: an earlier
 * checkout's caller stopped answering; its order may exist (ask, then `beginCheckout` again `replacing` it).
 * `busy`: another checkout is still running after the wait. `empty` and `not_found` speak for themselves (a user's
 * cart is `not_found` to everyone else).
 */
export type CheckoutStart =
  | { kind: "lead"; orderId: string; items: ItemRequest[] }
  | { kind: "created"; orderId: string }
  | { kind: "failed"; problem: CheckoutProblem }
  | { kind: "stale"; orderId: string }
  | { kind: "busy" }
  | { kind: "empty" }
  | { kind: "not_found" };

/** RPC surface of the carts worker (`CartsRpc` entrypoint): checkout, for orders. */
export interface CartsApi {
  /** Starts (or joins) the checkout of a cart the caller may use; see `CheckoutStart`. */
  beginCheckout(
    cartId: string,
    caller: Identity,
    replacing?: string,
    correlationId?: string,
  ): Promise<CheckoutStart>;
  /** The order exists: the ordered quantities leave the cart, once, and the checkouts that waited answer it. */
  completeCheckout(cartId: string, orderId: string, correlationId?: string): Promise<void>;
  /** The order was refused: the cart keeps its lines; the checkouts that waited answer the same problem. */
  failCheckout(
    cartId: string,
    orderId: string,
    problem: CheckoutProblem,
    correlationId?: string,
  ): Promise<void>;
}
