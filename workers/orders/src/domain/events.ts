import { type EventDataOf, type EventType, Queues } from "@edge-shop/contracts";
import {
  type Destinations,
  errorFields,
  log,
  newEvent,
  type OutboxedEvent,
  publishCommitted,
  publishCommittedLater,
  type WaitUntil,
} from "@edge-shop/worker-kit";
import type { Db } from "../db/client";

export const SERVICE = "orders";

/** Logical queue names → this environment's producer bindings. */
export function destinations(env: Env): Destinations {
  return { [Queues.payments]: env.PAYMENTS_QUEUE, [Queues.notifications]: env.NOTIFICATIONS_QUEUE };
}

/** A new event of the orders service. */
export function orderEvent<T extends EventType>(type: T, data: EventDataOf<T>, correlationId: string) {
  return newEvent(type, data, { source: SERVICE, correlationId });
}

/**
 * Publishes events whose outbox rows just committed, from memory (no read of the outbox back). Never throws:
 * what is not sent stays in the outbox for the scheduled `republishPending`, so a queue hiccup never fails a
 * request that already happened. Given the request's `ctx`, the rows are marked sent after the response, in a
 * write shared with the other orders of the moment (`publishCommittedLater`); without, at once.
 */
export async function publish(
  db: Db,
  queues: Destinations,
  events: OutboxedEvent[],
  ctx?: WaitUntil,
): Promise<void> {
  try {
    if (ctx) await publishCommittedLater(db, queues, events, ctx);
    else await publishCommitted(db, queues, events);
  } catch (error) {
    log("warn", "publish deferred to the outbox sweep", { service: SERVICE, ...errorFields(error) });
  }
}
