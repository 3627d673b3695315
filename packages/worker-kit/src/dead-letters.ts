import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { AppError, errors } from "./app-error";
import { withContext } from "./context";
import { deadLetters, messageFailures } from "./dead-letter-tables";
import { errorFields, log } from "./log";
import { type MetricsDataset, recordQueue } from "./metrics";

// biome-ignore lint/suspicious/noExplicitAny: drizzle's D1 database is generic over each service's schema
type Db = DrizzleD1Database<any>;
type Row = typeof deadLetters.$inferSelect;

/** Dead-letter queues are named `<queue>-dlq` in every environment. */
export function isDeadLetterQueue(queue: string): boolean {
  return queue.endsWith("-dlq");
}

const originalQueue = (dlq: string) => dlq.replace(/-dlq$/, "");

/** The event id of an envelope body, else the message id: the same on the original and the dead-letter queue. */
function failureKey(message: Message): string {
  const body = message.body as { id?: unknown } | null;
  return body && typeof body === "object" && typeof body.id === "string" ? body.id : message.id;
}

const asText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

/** Remembers why a message failed this time (best effort: the failure may be the database itself). */
export async function recordMessageFailure(db: Db, queue: string, message: Message, error: unknown) {
  const row = {
    key: failureKey(message),
    queue,
    attempts: message.attempts,
    lastError: asText(error),
    failedAt: Date.now(),
  };
  try {
    await db
      .insert(messageFailures)
      .values(row)
      .onConflictDoUpdate({ target: messageFailures.key, set: row });
  } catch (cause) {
    log("warn", "could not record a message failure", {
      queue,
      messageId: message.id,
      ...errorFields(cause),
    });
  }
}

/** Forgets the failures of a message that has now been handled (only a redelivered one can have any). */
export async function clearMessageFailure(db: Db, message: Message): Promise<void> {
  if (message.attempts <= 1) return;
  try {
    await db.delete(messageFailures).where(eq(messageFailures.key, failureKey(message)));
  } catch (cause) {
    log("warn", "could not clear a message failure", { messageId: message.id, ...errorFields(cause) });
  }
}

function envelopeFields(body: unknown) {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return { eventId: str(b.id), eventType: str(b.type), correlationId: str(b.correlationId) };
}

async function storeOne(db: Db, dlq: string, message: Message): Promise<void> {
  const key = failureKey(message);
  const [failure] = await db.select().from(messageFailures).where(eq(messageFailures.key, key)).limit(1);
  const envelope = envelopeFields(message.body);
  const queue = originalQueue(dlq);
  await db.batch([
    db
      .insert(deadLetters)
      .values({
        id: crypto.randomUUID(),
        queue,
        messageId: message.id,
        ...envelope,
        body: JSON.stringify(message.body ?? null),
        attempts: failure?.attempts ?? message.attempts,
        lastError: failure?.lastError ?? null,
        receivedAt: Date.now(),
      })
      .onConflictDoNothing(),
    db.delete(messageFailures).where(eq(messageFailures.key, key)),
  ]);
  recordQueue(queue, "dead_letter", envelope.eventType ?? undefined);
  log("error", "dead letter stored", {
    queue,
    messageId: message.id,
    ...envelope,
    attempts: failure?.attempts ?? message.attempts,
    lastError: failure?.lastError,
  });
}

/** The consumer of a dead-letter queue: stores every message in `dead_letters`, retrying what cannot be stored. */
export async function storeDeadLetters(
  batch: MessageBatch,
  options: { service: string; db: Db; metrics?: MetricsDataset | undefined },
): Promise<void> {
  for (const message of batch.messages) {
    const { correlationId, eventId } = envelopeFields(message.body);
    await withContext(
      {
        service: options.service,
        metrics: options.metrics,
        ...(correlationId ? { correlationId } : {}),
        ...(eventId ? { eventId } : {}),
      },
      async () => {
        try {
          await storeOne(options.db, batch.queue, message);
          message.ack();
        } catch (error) {
          message.retry({ delaySeconds: 30 });
          log("error", "dead letter not stored; retrying", { messageId: message.id, ...errorFields(error) });
        }
      },
    );
  }
}

/** A dead letter as the admin API shows it; `id` is `<service>:<row id>` so the gateway knows its owner. */
export function deadLetterView(service: string, row: Row) {
  let body: unknown = row.body;
  try {
    body = JSON.parse(row.body);
  } catch {
    // Stored as received; show the text.
  }
  return {
    id: `${service}:${row.id}`,
    service,
    queue: row.queue,
    messageId: row.messageId,
    eventId: row.eventId,
    eventType: row.eventType,
    correlationId: row.correlationId,
    body,
    attempts: row.attempts,
    lastError: row.lastError,
    receivedAt: new Date(row.receivedAt).toISOString(),
    replayedAt: row.replayedAt === null ? null : new Date(row.replayedAt).toISOString(),
  };
}
export type DeadLetterView = ReturnType<typeof deadLetterView>;

/** The newest `limit` dead letters and how many there are. */
export async function listDeadLetters(db: Db, limit: number): Promise<{ rows: Row[]; total: number }> {
  const [rows, totals] = await Promise.all([
    db.select().from(deadLetters).orderBy(desc(deadLetters.receivedAt), desc(deadLetters.id)).limit(limit),
    db.select({ n: count() }).from(deadLetters),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

/** How many dead letters there are, and how many were never replayed. */
export async function deadLetterCounts(db: Db): Promise<{ total: number; unreplayed: number }> {
  const [all, open] = await Promise.all([
    db.select({ n: count() }).from(deadLetters),
    db.select({ n: count() }).from(deadLetters).where(isNull(deadLetters.replayedAt)),
  ]);
  return { total: all[0]?.n ?? 0, unreplayed: open[0]?.n ?? 0 };
}

/**
 * Sends a dead letter back to its queue, once: the guarded update (`replayed_at IS NULL`) lets exactly one
 * caller win; a second replay is 409. If the send fails, the claim is undone so the replay can be tried again.
 */
export async function replayDeadLetter(
  db: Db,
  service: string,
  publicId: string,
  queue: Queue,
): Promise<Row> {
  const [owner, id] = publicId.split(/:(.*)/s, 2);
  if (owner !== service || !id) throw errors.notFound("Dead letter");
  const now = Date.now();
  const [claimed] = await db
    .update(deadLetters)
    .set({ replayedAt: now })
    .where(and(eq(deadLetters.id, id), isNull(deadLetters.replayedAt)))
    .returning();
  if (!claimed) {
    const [existing] = await db.select().from(deadLetters).where(eq(deadLetters.id, id)).limit(1);
    if (!existing) throw errors.notFound("Dead letter");
    throw errors.conflict("already_replayed", "This dead letter was already replayed");
  }
  try {
    await queue.send(JSON.parse(claimed.body), { contentType: "json" });
  } catch (error) {
    await db
      .update(deadLetters)
      .set({ replayedAt: null })
      .where(and(eq(deadLetters.id, id), eq(deadLetters.replayedAt, now)));
    throw new AppError(503, "replay_failed", "The message could not be sent back to its queue; try again", {
      cause: error,
    });
  }
  recordQueue(claimed.queue, "replayed", claimed.eventType ?? undefined);
  log("info", "dead letter replayed", {
    deadLetterId: publicId,
    queue: claimed.queue,
    eventId: claimed.eventId,
    eventType: claimed.eventType,
    correlationId: claimed.correlationId,
  });
  return claimed;
}
