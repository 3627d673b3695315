import { type EventEnvelope, parseEvent } from "@edge-shop/contracts";
import { backoffSeconds, errorFields, log } from "@edge-shop/worker-kit";
import { database } from "../db/client";
import { failPending } from "../db/queries/notifications";
import type { Bindings } from "../env";
import { deliverEvent } from "./deliver";

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

class RetryLater extends Error {
  override name = "RetryLater";
}

/**
 * The `notification-events` consumer. Each message is acked or retried on its own. A failure is
 * retried after NOTIFY_RETRY_BASE_SECONDS × 2^(attempt−1) (capped at 5 minutes). The last attempt is
 * the delivery whose `message.attempts` reaches NOTIFY_MAX_ATTEMPTS (= the consumer's max_retries + 1):
 * when it fails too, the rows still pending are marked `failed` and the message is retried once more,
 * which the queue turns into a move to the dead-letter queue since its retries are spent.
 */
export async function consumeNotifications(batch: MessageBatch, env: Bindings): Promise<void> {
  const db = database(env.DB);
  const maxAttempts = positiveInt(env.NOTIFY_MAX_ATTEMPTS, 6);
  const retryBaseSeconds = positiveInt(env.NOTIFY_RETRY_BASE_SECONDS, 30);
  for (const message of batch.messages) {
    const started = Date.now();
    let event: EventEnvelope | undefined;
    try {
      // A malformed event fails here and takes the retry path to the DLQ, where it can be inspected.
      event = parseEvent(message.body);
      const outcome = await deliverEvent(env, db, event, { fresh: message.attempts <= 1 });
      if (outcome.retryReason !== undefined) throw new RetryLater(outcome.retryReason);
      message.ack();
      log("info", "event", {
        service: "notifications",
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
    } catch (error) {
      const lastAttempt = message.attempts >= maxAttempts;
      if (lastAttempt && event) {
        const reason = error instanceof Error ? error.message : String(error);
        await failPending(db, event.id, reason.slice(0, 500)).catch((cause: unknown) =>
          log("error", "could not mark notifications failed", { eventId: event?.id, ...errorFields(cause) }),
        );
      }
      const delaySeconds = backoffSeconds(message.attempts, retryBaseSeconds);
      message.retry({ delaySeconds });
      log(lastAttempt ? "error" : "warn", "event", {
        service: "notifications",
        queue: batch.queue,
        messageId: message.id,
        eventId: event?.id,
        type: event?.type,
        correlationId: event?.correlationId,
        attempt: message.attempts,
        outcome: lastAttempt ? "dead-letter" : "retry",
        delaySeconds,
        ...errorFields(error),
      });
    }
  }
}
