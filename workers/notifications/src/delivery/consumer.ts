import { type EventEnvelope, parseEvent } from "@edge-shop/contracts";
import {
  clearMessageFailure,
  errorFields,
  log,
  recordNotification,
  recordQueue,
  retryMessage,
  withContext,
} from "@edge-shop/worker-kit";
import { type Db, database } from "../db/client";
import { eraseUsers } from "../db/queries/erasure";
import { failPending } from "../db/queries/notifications";
import { type Delivery, type DeliveryResult, deliverEvents } from "./deliver";
import { isMessage } from "./plan";

const SERVICE = "notifications";

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

class RetryLater extends Error {
  override name = "RetryLater";
}

interface Limits {
  maxAttempts: number;
  retryBaseSeconds: number;
}

/**
 * The `notifications-queue` consumer. A `user.deleted` erases the person (`eraseUsers`). The batch's other
 * events are delivered together (one recipients RPC, one D1 batch to record and claim, one write to mark what
 * was sent: see `deliverEvents`), then each message is acked or retried on its own; copies of one event in a batch share its outcome. A failure is retried after
 * NOTIFY_RETRY_BASE_SECONDS × 2^(attempt−1) (capped at 5 minutes). The last attempt is the delivery whose
 * `message.attempts` reaches NOTIFY_MAX_ATTEMPTS (= the consumer's max_retries + 1): when it fails too, the
 * rows still pending are marked `failed` and the message is retried once more, which the queue turns into a
 * move to the dead-letter queue since its retries are spent.
 */
export async function consumeNotifications(batch: MessageBatch, env: Env): Promise<void> {
  const db = database(env.DB);
  const limits = {
    maxAttempts: positiveInt(env.NOTIFY_MAX_ATTEMPTS, 6),
    retryBaseSeconds: positiveInt(env.NOTIFY_RETRY_BASE_SECONDS, 30),
  };
  await withContext({ service: SERVICE, metrics: env.METRICS }, async () => {
    const started = Date.now();
    const parsed: { message: Message; event: EventEnvelope }[] = [];
    for (const message of batch.messages) {
      try {
        // A malformed event fails here and takes the retry path to the DLQ, where it can be inspected.
        parsed.push({ message, event: parseEvent(message.body) });
      } catch (error) {
        await retry(db, batch.queue, message, undefined, error, limits);
      }
    }
    const unique = new Map<string, { event: EventEnvelope; fresh: boolean }>();
    for (const { message, event } of parsed) {
      if (!unique.has(event.id)) unique.set(event.id, { event, fresh: message.attempts <= 1 });
    }
    // Erasures first: a message for the same person in this batch then finds them erased and writes nothing.
    const events = [...unique.values()];
    const results = new Map([
      ...(await erase(
        db,
        events.map((d) => d.event),
      )),
      ...(await deliverEvents(
        env,
        db,
        events.filter((d): d is Delivery => isMessage(d.event)),
      )),
    ]);
    for (const { message, event } of parsed) {
      const result = results.get(event.id) ?? { ok: false, error: new Error("no delivery result") };
      await withContext({ correlationId: event.correlationId, eventId: event.id }, async () => {
        if (!result.ok) return retry(db, batch.queue, message, event, result.error, limits);
        const { outcome } = result;
        if (outcome.retryReason !== undefined) {
          return retry(db, batch.queue, message, event, new RetryLater(outcome.retryReason), limits);
        }
        message.ack();
        await clearMessageFailure(db, message);
        recordQueue(batch.queue, "ack", event.type);
        log("info", "event", {
          queue: batch.queue,
          eventId: event.id,
          type: event.type,
          correlationId: event.correlationId,
          attempt: message.attempts,
          outcome: "ack",
          sent: outcome.sent,
          failed: outcome.failed,
          skipped: outcome.skipped,
          durationMs: Date.now() - started,
        });
      });
    }
  });
}

/** Applies the batch's `user.deleted` events in one D1 batch; answers their outcomes (one error for all). */
async function erase(db: Db, events: EventEnvelope[]): Promise<Map<string, DeliveryResult>> {
  const deleted = events.filter((event) => event.type === "user.deleted");
  const [first, ...rest] = eraseUsers(
    db,
    deleted.map((event) => event.data.userId),
    Date.now(),
  );
  if (!first) return new Map();
  let result: DeliveryResult = {
    ok: true,
    outcome: { sent: 0, failed: 0, skipped: 0, retryReason: undefined },
  };
  try {
    await db.batch([first, ...rest]);
  } catch (error) {
    result = { ok: false, error };
  }
  return new Map(deleted.map((event) => [event.id, result]));
}

async function retry(
  db: Db,
  queue: string,
  message: Message,
  event: EventEnvelope | undefined,
  error: unknown,
  limits: Limits,
): Promise<void> {
  const lastAttempt = message.attempts >= limits.maxAttempts;
  if (lastAttempt && event) await failForGood(db, event, error);
  await retryMessage(
    { queue, message, event, error },
    { db, retryBaseSeconds: limits.retryBaseSeconds, lastAttempt },
  );
}

/** The last attempt failed: what is still pending is marked `failed` (the message goes to the dead-letter queue). */
async function failForGood(db: Db, event: EventEnvelope, error: unknown): Promise<void> {
  const reason = error instanceof Error ? error.message : String(error);
  try {
    for (const { channel } of await failPending(db, event.id, reason.slice(0, 500))) {
      recordNotification(channel, "failed", event.type);
    }
  } catch (cause) {
    log("error", "could not mark notifications failed", { eventId: event.id, ...errorFields(cause) });
  }
}
