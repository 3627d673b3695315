import { z } from "zod";

/**
 * Queue names as configured in the wrangler.toml files, each named after its one consumer: a producer sends an
 * event to the queue of every service that acts on it (`user.deleted` goes to all of them).
 */
export const Queues = {
  orders: "orders-queue",
  payments: "payments-queue",
  notifications: "notifications-queue",
  carts: "carts-queue",
} as const;

const Money = { amount: z.number().int().min(0), currency: z.string().length(3) };
const LineItem = z.object({
  productId: z.string(),
  name: z.string(),
  unitPrice: z.number().int().min(0),
  quantity: z.number().int().min(1),
  lineTotal: z.number().int().min(0),
});

/** How an order's total is made (orders' "Money at checkout"); absent in events from before it. */
export const OrderBreakdownSchema = z.object({
  subtotal: z.number().int().min(0),
  discountTotal: z.number().int().min(0),
  shippingTotal: z.number().int().min(0),
  taxTotal: z.number().int().min(0),
  promotionCode: z.string().nullable(),
  shippingOption: z.object({ id: z.string(), name: z.string(), amount: z.number().int().min(0) }),
});
export type OrderBreakdown = z.infer<typeof OrderBreakdownSchema>;

/**
 * What orders and payments put where a deleted person's user id was (`user.deleted`): their rows stay for
 * accounting, linked to no one. One value everywhere, so an order and its payments still agree.
 */
export const DELETED_USER_ID = "deleted-user";

/** A one-time token of an account email (verification, password reset, email change) and when it expires. */
const AccountLink = {
  userId: z.string(),
  /** Where the message goes: the account's address, or the new one for an email change. */
  email: z.string(),
  firstName: z.string(),
  token: z.string(),
  expiresAt: z.string(),
};

/** The data of every event type, keyed by type. */
export const EventData = {
  "user.registered": z.object({
    userId: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    /** The address's verification token (the welcome message carries the link); absent in older events. */
    verification: z.object({ token: z.string(), expiresAt: z.string() }).optional(),
  }),
  "user.verification_requested": z.object(AccountLink),
  "user.password_reset_requested": z.object(AccountLink),
  /** Sent to the new address: its link confirms the change. */
  "user.email_change_requested": z.object(AccountLink),
  /** Sent to the old address once the change is confirmed. */
  "user.email_changed": z.object({
    userId: z.string(),
    email: z.string(),
    firstName: z.string(),
    newEmail: z.string(),
  }),
  /** The account is gone: every service erases or anonymises what it holds about `userId`. */
  "user.deleted": z.object({ userId: z.string() }),
  "order.created": z.object({
    orderId: z.string(),
    userId: z.string(),
    items: z.array(LineItem),
    total: z.number().int().min(0),
    currency: z.string().length(3),
    breakdown: OrderBreakdownSchema.optional(),
  }),
  "order.cancelled": z.object({
    orderId: z.string(),
    userId: z.string(),
    reason: z.enum(["customer", "expired", "admin"]),
  }),
  "order.refunded": z.object({ orderId: z.string(), userId: z.string(), ...Money }),
  "order.shipped": z.object({ orderId: z.string(), userId: z.string() }),
  "order.delivered": z.object({ orderId: z.string(), userId: z.string() }),
  "payment.succeeded": z.object({
    paymentId: z.string(),
    orderId: z.string(),
    userId: z.string(),
    ...Money,
    items: z.array(LineItem),
    breakdown: OrderBreakdownSchema.optional(),
  }),
  "payment.failed": z.object({
    paymentId: z.string(),
    orderId: z.string(),
    userId: z.string(),
    ...Money,
    reason: z.string(),
  }),
  // `amount` is what this refund gave back. A partial refund (`partial: true`) leaves the payment succeeded;
  // `amountRefunded` is the payment's refunded total with it. Both are absent in events from before partial refunds.
  "payment.refunded": z.object({
    paymentId: z.string(),
    orderId: z.string(),
    userId: z.string(),
    ...Money,
    amountRefunded: z.number().int().min(0).optional(),
    partial: z.boolean().optional(),
    // A refund made through `POST /api/orders/:id/refunds`: its id, the returned lines, and whether they go
    // back in stock. Absent for a refund made at the provider or by a cancellation.
    refundId: z.string().optional(),
    items: z.array(z.object({ productId: z.string(), quantity: z.number().int().min(1) })).optional(),
    restock: z.boolean().optional(),
  }),
} as const;

export type EventType = keyof typeof EventData;
export type EventDataOf<T extends EventType> = z.infer<(typeof EventData)[T]>;
export const EventTypes = Object.keys(EventData) as EventType[];

const EnvelopeBase = z.object({
  id: z.string().min(1),
  version: z.literal(1),
  occurredAt: z.string(),
  source: z.string(),
  correlationId: z.string(),
});

export type EventEnvelope<T extends EventType = EventType> = {
  [K in T]: z.infer<typeof EnvelopeBase> & { type: K; data: EventDataOf<K> };
}[T];

const AnyEnvelope = EnvelopeBase.extend({
  type: z.enum(EventTypes as [EventType, ...EventType[]]),
  data: z.unknown(),
});

/** Parses a queue message body, throwing a ZodError when it is not a known, well-formed event. */
export function parseEvent(body: unknown): EventEnvelope {
  const envelope = AnyEnvelope.parse(body);
  const data = EventData[envelope.type].parse(envelope.data);
  return { ...envelope, data } as EventEnvelope;
}
