import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export { deadLetters, idempotencyKeys, inbox, messageFailures, outbox } from "@edge-shop/worker-kit";

/**
 * `processing`: claimed before the provider is called, and kept while the outcome is unknown (the provider is
 * still processing, or its answer was lost) until a webhook or the scheduled handler settles it.
 * `requires_action`: the customer must authenticate the card (3-D Secure) at `next_action_url`.
 */
export const PaymentRowStatuses = [
  "processing",
  "requires_action",
  "succeeded",
  "failed",
  "refunded",
] as const;
/** The statuses that hold the order: a new payment of it waits (409) or is refused (paid). */
export const LIVE_STATUSES = [
  "processing",
  "requires_action",
  "succeeded",
] as const satisfies readonly PaymentRowStatus[];
export type PaymentRowStatus = (typeof PaymentRowStatuses)[number];

/** Every charge attempt, successful or not. */
export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    userId: text("user_id").notNull(),
    status: text("status", { enum: PaymentRowStatuses }).notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    failureReason: text("failure_reason"),
    /** Which adapter charged it (`simulator`, `stripe`), so a refund goes to the same provider. */
    provider: text("provider").notNull(),
    /** The provider's id of the charge (PaymentIntent id). */
    providerRef: text("provider_ref"),
    refundRef: text("refund_ref"),
    /** Minor units given back so far (partial refunds add up; `refunded` once it reaches `amount`). */
    amountRefunded: integer("amount_refunded").notNull().default(0),
    /** Where the customer authenticates the card while the payment `requires_action`. */
    nextActionUrl: text("next_action_url"),
    /**
     * Stamped by each guarded status change, so statements later in the same batch (its outbox rows, its
     * answer, the webhook or event id it applies) commit only if that change won.
     */
    transitionId: text("transition_id"),
    /** When orders confirmed the order paid (markPaid); until then the scheduled handler asks again. */
    orderConfirmedAt: integer("order_confirmed_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("payments_order").on(t.orderId, t.createdAt),
    index("payments_provider_ref").on(t.providerRef),
    index("payments_status_updated").on(t.status, t.updatedAt),
    // Nothing is charged twice: at most one attempt per order may be running or have succeeded.
    uniqueIndex("payments_one_live_per_order")
      .on(t.orderId)
      .where(sql`status in ('processing', 'requires_action', 'succeeded')`),
  ],
);
export type PaymentRow = typeof payments.$inferSelect;

/** Provider webhook event ids already handled, so a redelivery has no second effect. */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  // The retention purge walks the oldest events.
  (t) => [index("webhook_events_received").on(t.receivedAt)],
);

/**
 * A refund asked for through `POST /api/orders/:id/refunds`: `pending` from the moment its amount is reserved
 * against what is left of the payment's capture (so refunds running at once never exceed it) until the provider
 * answers; `failed` gives the amount back to what is left.
 */
export const RefundStatuses = ["pending", "succeeded", "failed"] as const;
export const refunds = sqliteTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id").notNull(),
    orderId: text("order_id").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    restock: integer("restock", { mode: "boolean" }).notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: RefundStatuses }).notNull(),
    providerRef: text("provider_ref"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("refunds_payment_status").on(t.paymentId, t.status),
    index("refunds_order").on(t.orderId, t.createdAt),
  ],
);
export type RefundRow = typeof refunds.$inferSelect;

/** The returned lines of a refund: units of a product of the order and the part of the refund they make. */
export const refundLines = sqliteTable(
  "refund_lines",
  {
    refundId: text("refund_id")
      .notNull()
      .references(() => refunds.id),
    orderId: text("order_id").notNull(),
    productId: text("product_id").notNull(),
    quantity: integer("quantity").notNull(),
    amount: integer("amount").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.refundId, t.productId] }),
    index("refund_lines_order").on(t.orderId, t.productId),
  ],
);
export type RefundLineRow = typeof refundLines.$inferSelect;
