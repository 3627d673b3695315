import { type EventDataOf, type EventEnvelope, type EventType, Queues } from "@edge-shop/contracts";
import { type Destinations, newEvent, type OutboxedEvent } from "@edge-shop/worker-kit";
import type { PaymentRow } from "../db/schema";

export const SERVICE = "payments";

/** Logical queue names → this environment's producer bindings. */
export function destinations(env: Env): Destinations {
  return { [Queues.orders]: env.ORDERS_QUEUE, [Queues.notifications]: env.NOTIFICATIONS_QUEUE };
}

// Orders hears of payments for the saga (a refund made at the provider makes its paid order refunded);
// notifications tells the customer.
const ROUTES: Partial<Record<EventType, string[]>> = {
  "payment.succeeded": [Queues.orders, Queues.notifications],
  "payment.failed": [Queues.orders, Queues.notifications],
  "payment.refunded": [Queues.orders, Queues.notifications],
};

/** The payment fields every payment event carries. */
export const moneyOf = (p: PaymentRow) => ({
  paymentId: p.id,
  orderId: p.orderId,
  userId: p.userId,
  amount: p.amount,
  currency: p.currency,
});

/** A new event of this service and where it goes; its outbox rows are written by the change it announces. */
export function outboxed<T extends EventType>(type: T, data: EventDataOf<T>, correlationId: string) {
  const event: EventEnvelope<T> = newEvent(type, data, { source: SERVICE, correlationId });
  const published: OutboxedEvent = { event: event as EventEnvelope, destinations: ROUTES[type] ?? [] };
  return published;
}
