import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Events written in the same D1 batch as the state change they announce; a row is sent once published. */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id").notNull(),
    destination: text("destination").notNull(),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
    attempts: integer("attempts").notNull().default(0),
  },
  (t) => [index("outbox_unsent").on(t.sentAt, t.createdAt)],
);

/** Ids of events a consumer has already applied, so a redelivery has no second effect. */
export const inbox = sqliteTable(
  "inbox",
  {
    eventId: text("event_id").primaryKey(),
    type: text("type").notNull(),
    processedAt: integer("processed_at").notNull(),
  },
  // The retention purge (retention.ts) walks the oldest ids.
  (t) => [index("inbox_processed").on(t.processedAt)],
);
