import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export { deadLetters, inbox, messageFailures, outbox } from "@edge-shop/worker-kit";

export const NotificationChannels = ["email", "sms"] as const;
export type NotificationChannel = (typeof NotificationChannels)[number];
export const NotificationStatuses = ["pending", "sent", "failed"] as const;
export type NotificationStatus = (typeof NotificationStatuses)[number];

/**
 * The delivery log: one row per (event, channel). The unique key is the dedup: a redelivered
 * event finds its row and never sends twice.
 */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    channel: text("channel", { enum: NotificationChannels }).notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    html: text("html"),
    status: text("status", { enum: NotificationStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    // A delivery in flight holds the row until then (epoch ms), so two concurrent deliveries of one event never both send.
    lockedUntil: integer("locked_until"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("notifications_event_channel").on(t.eventId, t.channel),
    index("notifications_user_created").on(t.userId, t.createdAt),
    // The retention purge of message bodies walks the oldest rows.
    index("notifications_created").on(t.createdAt),
  ],
);

/** Per-user channel choices; a user without a row has the defaults (email on, sms off). */
export const preferences = sqliteTable(
  "preferences",
  {
    userId: text("user_id").primaryKey(),
    email: integer("email", { mode: "boolean" }).notNull().default(true),
    sms: integer("sms", { mode: "boolean" }).notNull().default(false),
    phone: text("phone"),
    updatedAt: integer("updated_at").notNull(),
  },
  // The API checks this too; the constraint keeps a racing pair of PATCHes from leaving sms on without a phone.
  (t) => [check("preferences_sms_needs_phone", sql`${t.sms} = 0 OR ${t.phone} IS NOT NULL`)],
);

/**
 * People erased by `user.deleted`: only the id, which names no one once the account is gone. A message for one of
 * them that arrives late (a queue does not keep order) is dropped instead of writing their address again.
 */
export const erasedUsers = sqliteTable("erased_users", {
  userId: text("user_id").primaryKey(),
  erasedAt: integer("erased_at").notNull(),
});
