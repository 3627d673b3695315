import { type EventEnvelope, parseEvent } from "@edge-shop/contracts";
import { eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { withContext } from "./context";
import {
  clearMessageFailure,
  isDeadLetterQueue,
  recordMessageFailure,
  storeDeadLetters,
} from "./dead-letters";
import { errorFields, log } from "./log";
import { type MetricsDataset, recordQueue } from "./metrics";
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

interface ConsumeOptions {
  retryBaseSeconds?: number;
  /** Where failures are remembered (`message_failures`) so a dead letter can say why it died. */
  db?: Db;
  metrics?: MetricsDataset | undefined;
}

/**
 * Handles a batch one message at a time: each is acked or retried on its own, so one bad message
 * never redelivers the others. Messages that keep failing reach the dead-letter queue after max_retries.
 * The handler runs with the event's correlation id in the observability context: its log lines carry it.
 */
export async function consumeEvents(
  batch: MessageBatch,
  service: string,
  handle: (event: EventEnvelope) => Promise<void>,
  options: ConsumeOptions = {},
): Promise<void> {
  for (const message of batch.messages) {
    await withContext({ service, metrics: options.metrics }, () =>
      consumeOne(batch.queue, message, service, handle, options),
    );
  }
}

async function consumeOne(
  queue: string,
  message: Message,
  service: string,
  handle: (event: EventEnvelope) => Promise<void>,
  options: ConsumeOptions,
): Promise<void> {
  const started = Date.now();
  let event: EventEnvelope | undefined;
  try {
    const parsed = parseEvent(message.body);
    event = parsed;
    await withContext({ correlationId: parsed.correlationId, eventId: parsed.id }, () => handle(parsed));
    message.ack();
    if (options.db) await clearMessageFailure(options.db, message);
    recordQueue(queue, "ack", event.type);
    log("info", "event", {
      service,
      queue,
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
    if (options.db) await recordMessageFailure(options.db, queue, message, error);
    recordQueue(queue, "retry", event?.type);
    log("error", "event", {
      service,
      queue,
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

/**
 * A worker's `queue` handler: messages of a dead-letter queue (`*-dlq`) are stored in `dead_letters`; those of
 * the main queue go to `handle`, with failures remembered for their dead letter.
 */
export async function handleQueue(
  batch: MessageBatch,
  options: { service: string; db: Db; metrics?: MetricsDataset | undefined; retryBaseSeconds?: number },
  handle: (event: EventEnvelope) => Promise<void>,
): Promise<void> {
  if (isDeadLetterQueue(batch.queue)) return storeDeadLetters(batch, options);
  return consumeEvents(batch, options.service, handle, options);
}
