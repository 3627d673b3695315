import { type EventEnvelope, parseEvent } from "@edge-shop/contracts";
import { eq, type SQL, sql } from "drizzle-orm";
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

/**
 * The inbox insert to put in the same batch as the event's effects: a second delivery then fails on the key.
 * With `when`, the id is recorded only while that condition holds (e.g. the guarded change it made won).
 */
export function inboxInsert(db: Db, event: EventEnvelope, when?: SQL): BatchItem<"sqlite"> {
  if (!when) return db.insert(inbox).values({ eventId: event.id, type: event.type, processedAt: Date.now() });
  return db.insert(inbox).select(sql`SELECT ${event.id}, ${event.type}, ${Date.now()} WHERE ${when}`);
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
  let outcome: EventOutcome = { ok: true };
  try {
    const parsed = parseEvent(message.body);
    event = parsed;
    await withContext({ correlationId: parsed.correlationId, eventId: parsed.id }, () => handle(parsed));
  } catch (error) {
    outcome = { ok: false, error };
  }
  await settle({ queue, message, service, event, started }, outcome, options);
}

/** Whether an event was applied, or why its message must be delivered again. */
export type EventOutcome = { ok: true } | { ok: false; error: unknown };

interface Delivered {
  queue: string;
  message: Message;
  service: string;
  /** Undefined when the body was not a valid event. */
  event: EventEnvelope | undefined;
  started: number;
}

/** Acks a message whose event was applied, or retries it with backoff (remembering why for its dead letter). */
async function settle(
  { queue, message, service, event, started }: Delivered,
  outcome: EventOutcome,
  options: ConsumeOptions,
): Promise<void> {
  if (outcome.ok && event) {
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
    return;
  }
  const error = outcome.ok ? new Error("no event") : outcome.error;
  await retryMessage({ queue, message, event, error }, { ...options, service });
}

/**
 * Sends a message round again after a backoff, remembers why (for its dead letter, given `db`), counts and logs
 * it. `lastAttempt`, when the consumer knows it: the queue moves the message to its dead-letter queue next.
 */
export async function retryMessage(
  failed: { queue: string; message: Message; event: EventEnvelope | undefined; error: unknown },
  options: ConsumeOptions & { service?: string; lastAttempt?: boolean },
): Promise<void> {
  const { queue, message, event, error } = failed;
  const delaySeconds = backoffSeconds(message.attempts, options.retryBaseSeconds);
  message.retry({ delaySeconds });
  if (options.db) await recordMessageFailure(options.db, queue, message, error);
  recordQueue(queue, "retry", event?.type);
  log(options.lastAttempt === false ? "warn" : "error", "event", {
    ...(options.service ? { service: options.service } : {}),
    queue,
    messageId: message.id,
    eventId: event?.id,
    type: event?.type,
    correlationId: event?.correlationId,
    attempt: message.attempts,
    outcome: options.lastAttempt ? "dead-letter" : "retry",
    delaySeconds,
    ...errorFields(error),
  });
}

/** Applies several events at once (e.g. in one D1 batch); answers an outcome per event id. */
export type ApplyAll = (events: EventEnvelope[]) => Promise<Map<string, EventOutcome>>;

/**
 * Like `consumeEvents`, but the batch's events are applied together by `applyAll` (one round trip instead of
 * one per message); copies of one event share its outcome, and each message is still acked or retried on its
 * own. Should `applyAll` throw, the messages are handled one at a time with `handle`, so one bad event never
 * redelivers the others.
 */
export async function consumeEventsTogether(
  batch: MessageBatch,
  service: string,
  handlers: { handle: (event: EventEnvelope) => Promise<void>; applyAll: ApplyAll },
  options: ConsumeOptions = {},
): Promise<void> {
  await withContext({ service, metrics: options.metrics }, async () => {
    const started = Date.now();
    const delivered: (Delivered & { event: EventEnvelope })[] = [];
    for (const message of batch.messages) {
      const entry = { queue: batch.queue, message, service, started };
      try {
        delivered.push({ ...entry, event: parseEvent(message.body) });
      } catch (error) {
        await settle({ ...entry, event: undefined }, { ok: false, error }, options);
      }
    }
    const unique = new Map(delivered.map((d) => [d.event.id, d.event]));
    let outcomes: Map<string, EventOutcome>;
    try {
      outcomes = unique.size > 0 ? await handlers.applyAll([...unique.values()]) : new Map();
    } catch (error) {
      log("warn", "events not applied together; one message at a time", {
        queue: batch.queue,
        ...errorFields(error),
      });
      for (const { message } of delivered)
        await consumeOne(batch.queue, message, service, handlers.handle, options);
      return;
    }
    for (const d of delivered) {
      const { event } = d;
      const outcome = outcomes.get(event.id) ?? { ok: false, error: new Error("no outcome for the event") };
      await withContext({ correlationId: event.correlationId, eventId: event.id }, () =>
        settle(d, outcome, options),
      );
    }
  });
}

/**
 * A worker's `queue` handler: messages of a dead-letter queue (`*-dlq`) are stored in `dead_letters`; those of
 * the main queue go to `handle` (or, given `applyAll`, are applied together), with failures remembered for their
 * dead letter.
 */
export async function handleQueue(
  batch: MessageBatch,
  options: { service: string; db: Db; metrics?: MetricsDataset | undefined; retryBaseSeconds?: number },
  handle: (event: EventEnvelope) => Promise<void>,
  applyAll?: ApplyAll,
): Promise<void> {
  if (isDeadLetterQueue(batch.queue)) return storeDeadLetters(batch, options);
  if (applyAll) return consumeEventsTogether(batch, options.service, { handle, applyAll }, options);
  return consumeEvents(batch, options.service, handle, options);
}
