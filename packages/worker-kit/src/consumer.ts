import { type EventEnvelope, parseEvent } from "@edge-shop/contracts";
import { eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { errorFields, log } from "./log";
import { inbox } from "./tables";

// biome-ignore lint/suspicious/noExplicitAny: drizzle's D1 database is generic over each service's schema
type Db = DrizzleD1Database<any>;

/** Seconds before the next delivery of a failed message: 2, 4, 8 … capped at 5 minutes. */
export function backoffSeconds(attempts: number, baseSeconds = 2): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, attempts - 1), 300);
}

/** Has this event already been applied? */
export async function alreadyProcessed(db: Db, eventId: string): Promise<boolean> {
  const rows = await db.select({ id: inbox.eventId }).from(inbox).where(eq(inbox.eventId, eventId)).limit(1);
  return rows.length > 0;
}

/** The inbox insert to put in the same batch as the event's effects: a second delivery then fails on the key. */
export function inboxInsert(db: Db, event: EventEnvelope): BatchItem<"sqlite"> {
  return db.insert(inbox).values({ eventId: event.id, type: event.type, processedAt: Date.now() });
}

/**
 * Handles a batch one message at a time: each is acked or retried on its own, so one bad message
 * never redelivers the others. Messages that keep failing reach the dead-letter queue after max_retries.
 */
export async function consumeEvents(
  batch: MessageBatch,
  service: string,
  handle: (event: EventEnvelope) => Promise<void>,
  options: { retryBaseSeconds?: number } = {},
): Promise<void> {
  for (const message of batch.messages) {
    const started = Date.now();
    let event: EventEnvelope | undefined;
    try {
      event = parseEvent(message.body);
      await handle(event);
      message.ack();
      log("info", "event", {
        service,
        queue: batch.queue,
        eventId: event.id,
        type: event.type,
        correlationId: event.correlationId,
        attempt: message.attempts,
        outcome: "ack",
        durationMs: Date.now() - started,
      });
    } catch (error) {
      const delaySeconds = backoffSeconds(message.attempts, options.retryBaseSeconds);
      message.retry({ delaySeconds });
      log("error", "event", {
        service,
        queue: batch.queue,
        messageId: message.id,
        eventId: event?.id,
        type: event?.type,
        correlationId: event?.correlationId,
        attempt: message.attempts,
        outcome: "retry",
        delaySeconds,
        ...errorFields(error),
      });
    }
  }
}
