import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Messages a consumer gave up on: stored by the dead-letter queue's consumer so an operator can list them
 * (`GET /api/admin/dead-letters`) and send one back to its queue once (`replayed_at` guards the replay).
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    /** The queue the message failed on (the dead-letter queue's name without `-dlq`). */
    queue: text("queue").notNull(),
    messageId: text("message_id").notNull(),
    eventId: text("event_id"),
    eventType: text("event_type"),
    correlationId: text("correlation_id"),
    /** The message body as JSON, exactly as it was sent. */
    body: text("body").notNull(),
    /** Deliveries on the original queue before it was dead-lettered. */
    attempts: integer("attempts").notNull(),
    lastError: text("last_error"),
    receivedAt: integer("received_at").notNull(),
    replayedAt: integer("replayed_at"),
  },
  (t) => [
    // A dead-letter queue delivers at least once: the second delivery of one message is a no-op.
    uniqueIndex("dead_letters_message").on(t.messageId),
    index("dead_letters_received").on(t.receivedAt),
  ],
);

/**
 * The last failure of a message still being retried, so its dead letter can say why it died and after how many
 * attempts (the dead-letter queue delivers only the body). Keyed by event id (the body is the same on the
 * dead-letter queue, whatever its message id), else the message id; deleted once the message is handled.
 */
export const messageFailures = sqliteTable("message_failures", {
  key: text("key").primaryKey(),
  queue: text("queue").notNull(),
  attempts: integer("attempts").notNull(),
  lastError: text("last_error").notNull(),
  failedAt: integer("failed_at").notNull(),
});
