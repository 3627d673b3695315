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
    total: integer("total").notNull(),
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
