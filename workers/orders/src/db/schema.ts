import { OrderStatuses } from "@edge-shop/contracts";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export { deadLetters, idempotencyKeys, inbox, messageFailures, outbox } from "@edge-shop/worker-kit";

/** An order; money in minor units of `currency`, timestamps in epoch milliseconds. */
export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    status: text("status", { enum: OrderStatuses }).notNull(),
    /** Σ line totals; what the order costs before its discount, shipping and tax. */
    subtotal: integer("subtotal").notNull().default(0),
    discountTotal: integer("discount_total").notNull().default(0),
    shippingTotal: integer("shipping_total").notNull().default(0),
    taxTotal: integer("tax_total").notNull().default(0),
    /** What is charged: subtotal − discountTotal + shippingTotal + taxTotal. */
    total: integer("total").notNull(),
    /** The redeemed code (upper case), or null. */
    promotionCode: text("promotion_code"),
    shippingOptionId: text("shipping_option_id").notNull().default("standard"),
    shippingOptionName: text("shipping_option_name").notNull().default("Standard"),
    /** The destination's tax rate when the order was placed, in basis points (1900 = 19 %). */
    taxRateBp: integer("tax_rate_bp").notNull().default(0),
    currency: text("currency").notNull(),
    /** The address as the client sent it (string or object), JSON-encoded. */
    shippingAddress: text("shipping_address").notNull(),
    /** The payment that paid the order, set by `payment.succeeded` / `markPaid`. */
    paymentId: text("payment_id"),
    /** Id of the last transition (its event id when it has one): lets a batch add an outbox row only if its guarded update won. */
    transitionId: text("transition_id"),
    /** Minor units refunded so far (partial refunds and returns add up; `refunded` once it reaches `total`). */
    refundedTotal: integer("refunded_total").notNull().default(0),
    /** When the reserved stock went back to products (cancelled/refunded orders); null = still to release. */
    stockReleasedAt: integer("stock_released_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("orders_user_created").on(t.userId, t.createdAt),
    // A user's unpaid orders, counted by every new order (MAX_PENDING_ORDERS).
    index("orders_user_status").on(t.userId, t.status),
    index("orders_status_created").on(t.status, t.createdAt),
    index("orders_created").on(t.createdAt),
  ],
);

/** The priced lines of an order, as products priced them at reservation time. */
export const orderItems = sqliteTable(
  "order_items",
  {
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    position: integer("position").notNull(),
    productId: text("product_id").notNull(),
    name: text("name").notNull(),
    unitPrice: integer("unit_price").notNull(),
    quantity: integer("quantity").notNull(),
    lineTotal: integer("line_total").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.position] })],
);

/** Tax rate per destination country (ISO 3166-1 alpha-2), in basis points; a country not listed pays none. */
export const taxRates = sqliteTable("tax_rates", {
  country: text("country").primaryKey(),
  rateBp: integer("rate_bp").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** A promotion code (stored upper case: codes are case-insensitive). Money in minor units of `currency`. */
export const promotions = sqliteTable("promotions", {
  code: text("code").primaryKey(),
  type: text("type", { enum: ["percentage", "fixed"] }).notNull(),
  /** Whole percent for `percentage`, minor units of `currency` for `fixed`. */
  value: integer("value").notNull(),
  /** Required for `fixed`; when set, the code applies to orders in this currency only. */
  currency: text("currency"),
  minSubtotal: integer("min_subtotal").notNull().default(0),
  startsAt: integer("starts_at"),
  endsAt: integer("ends_at"),
  usageLimit: integer("usage_limit"),
  perCustomerLimit: integer("per_customer_limit"),
  active: integer("active", { mode: "boolean" }).notNull(),
  createdAt: integer("created_at").notNull(),
  /** Changes with every edit: an order's redemption is refused if the code changed since the order read it. */
  updatedAt: integer("updated_at").notNull(),
});

/**
 * One row per order that redeemed a code, inserted in the order's own batch; `releasedAt` is set once, when the
 * order is cancelled or expires unpaid. A code's uses are its rows with `releasedAt` null.
 */
export const promotionRedemptions = sqliteTable(
  "promotion_redemptions",
  {
    orderId: text("order_id").primaryKey(),
    code: text("code").notNull(),
    userId: text("user_id").notNull(),
    createdAt: integer("created_at").notNull(),
    releasedAt: integer("released_at"),
  },
  (t) => [
    index("promotion_redemptions_code").on(t.code, t.releasedAt),
    index("promotion_redemptions_code_user").on(t.code, t.userId, t.releasedAt),
  ],
);
