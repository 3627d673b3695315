import type { Identity } from "./headers";

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
      reason: "insufficient_stock" | "not_found" | "inactive" | "mixed_currency";
      productIds: string[];
    };

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
  total: number;
  currency: string;
}

/** RPC surface of the orders worker (`OrdersRpc` entrypoint), used by payments. */
export interface OrdersApi {
  /** The order as the given caller may see it, or null (missing, or another user's). */
  getOrder(orderId: string, caller: Identity, correlationId?: string): Promise<OrderView | null>;
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
