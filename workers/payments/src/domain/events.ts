import { type EventDataOf, type EventEnvelope, type EventType, Queues } from "@edge-shop/contracts";
import {
  type Destinations,
  newEvent,
  type OutboxedEvent,
  outboxInsert,
  publishCommitted,
  type SendOutcome,
  sendCommitted,
} from "@edge-shop/worker-kit";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";

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

/** A new event of this service with its outbox insert, to put in the batch of the state change. */
export function outboxed<T extends EventType>(db: Db, type: T, data: EventDataOf<T>, correlationId: string) {
  const event: EventEnvelope<T> = newEvent(type, data, { source: SERVICE, correlationId });
  const to = ROUTES[type] ?? [];
  const insert: BatchItem<"sqlite"> = outboxInsert(db, event as EventEnvelope, to);
  const published: OutboxedEvent = { event: event as EventEnvelope, destinations: to };
  return { event, insert, published };
}

type Statements = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

/**
 * Runs the batch (state change + outbox rows, atomically) and publishes the events right after, from memory
 * (no read of the outbox back; the outcome is recorded in one write, failures left for the sweep).
 */
export async function commitAndPublish(
  db: Db,
  env: Env,
  statements: Statements,
  events: OutboxedEvent[],
): Promise<void> {
  await db.batch(statements);
  await publishCommitted(db, destinations(env), events);
}

/**
 * Like `commitAndPublish`, but leaves the record of the sends to the caller, whose next batch carries
 * `outboxSentUpdate(db, outcome)`: until it commits the rows stay pending, so nothing is lost if we die first.
 */
export async function commitAndSend(
  db: Db,
  env: Env,
  statements: Statements,
  events: OutboxedEvent[],
): Promise<SendOutcome> {
  await db.batch(statements);
  return sendCommitted(destinations(env), events);
}
