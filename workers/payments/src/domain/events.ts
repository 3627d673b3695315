import type { EventDataOf, EventEnvelope, EventType } from "@edge-shop/contracts";
import { type Destinations, newEvent, outboxInsert, publishEvents } from "@edge-shop/worker-kit";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import type { Bindings } from "../env";

export const SERVICE = "payments";

/** Logical queue names → this environment's producer bindings. */
export function destinations(env: Bindings): Destinations {
  return { "payment-events": env.PAYMENT_EVENTS, "notification-events": env.NOTIFICATION_EVENTS };
}

// Orders listens to payment-events for the saga; notifications tells the customer.
const ROUTES: Partial<Record<EventType, string[]>> = {
  "payment.succeeded": ["payment-events", "notification-events"],
  "payment.failed": ["payment-events", "notification-events"],
  "payment.refunded": ["notification-events"],
};

/** A new event of this service with its outbox insert, to put in the batch of the state change. */
export function outboxed<T extends EventType>(db: Db, type: T, data: EventDataOf<T>, correlationId: string) {
  const event: EventEnvelope<T> = newEvent(type, data, { source: SERVICE, correlationId });
  const insert: BatchItem<"sqlite"> = outboxInsert(db, event as EventEnvelope, ROUTES[type] ?? []);
  return { event, insert };
}

/** Runs the batch (state change + outbox rows, atomically) and publishes the events right after. */
export async function commitAndPublish(
  db: Db,
  env: Bindings,
  statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]],
  events: EventEnvelope[],
): Promise<void> {
  await db.batch(statements);
  await publishEvents(
    db,
    destinations(env),
    events.map((e) => e.id),
  );
}
