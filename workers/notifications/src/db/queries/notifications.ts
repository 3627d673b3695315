import type { PageQuery } from "@edge-shop/contracts";
import { and, count, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { type NotificationChannel, notifications } from "../schema";

export type NotificationRow = typeof notifications.$inferSelect;

/** How long a claimed row stays locked to its delivery; a crashed delivery frees it after this. */
const LEASE_MS = 60_000;

export interface NewNotification {
  userId: string;
  channel: NotificationChannel;
  recipient: string;
  subject: string;
  body: string;
  html: string | null;
  eventId: string;
  eventType: string;
}

export type Claim =
  | { kind: "claimed"; row: NotificationRow }
  | { kind: "done"; row: NotificationRow }
  | { kind: "busy"; row: NotificationRow };

/**
 * Records the notification of (event, channel) unless it exists, then takes it for sending: one
 * batch, so a redelivered event finds the row of its first delivery. A `sent` row is done; a `failed`
 * one is done too unless `revive` (a fresh delivery, e.g. a replay from the dead-letter queue); a
 * `pending` row locked by another delivery is busy.
 */
export async function claimNotification(
  db: Db,
  input: NewNotification,
  options: { revive: boolean },
): Promise<Claim> {
  const now = Date.now();
  const claimable = options.revive
    ? or(eq(notifications.status, "pending"), eq(notifications.status, "failed"))
    : eq(notifications.status, "pending");
  const where = and(
    eq(notifications.eventId, input.eventId),
    eq(notifications.channel, input.channel),
    claimable,
    or(isNull(notifications.lockedUntil), lt(notifications.lockedUntil, now)),
  );
  const [, claimed] = await db.batch([
    db
      .insert(notifications)
      .values({ ...input, id: crypto.randomUUID(), status: "pending", createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: [notifications.eventId, notifications.channel] }),
    db
      .update(notifications)
      .set({
        status: "pending",
        attempts: sql`${notifications.attempts} + 1`,
        lockedUntil: now + LEASE_MS,
        updatedAt: now,
      })
      .where(where)
      .returning(),
  ]);
  const row = claimed[0];
  if (row) return { kind: "claimed", row };
  const [existing] = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.eventId, input.eventId), eq(notifications.channel, input.channel)));
  if (!existing) throw new Error(`notification of ${input.eventId}/${input.channel} vanished`);
  return { kind: existing.status === "pending" ? "busy" : "done", row: existing };
}

/** The provider accepted the message. */
export async function markSent(db: Db, id: string): Promise<void> {
  await db
    .update(notifications)
    .set({ status: "sent", lockedUntil: null, lastError: null, updatedAt: Date.now() })
    .where(eq(notifications.id, id));
}

/** The provider refused: keep the row pending for the next attempt, or `failed` when retrying cannot help. */
export async function markAttemptFailed(db: Db, id: string, error: string, final: boolean): Promise<void> {
  await db
    .update(notifications)
    .set({ status: final ? "failed" : "pending", lockedUntil: null, lastError: error, updatedAt: Date.now() })
    .where(eq(notifications.id, id));
}

/** The message's last delivery failed: every row of the event still pending is now `failed`. */
export async function failPending(db: Db, eventId: string, error: string): Promise<{ channel: string }[]> {
  return db
    .update(notifications)
    .set({
      status: "failed",
      lockedUntil: null,
      lastError: sql`coalesce(${notifications.lastError}, ${error})`,
      updatedAt: Date.now(),
    })
    .where(and(eq(notifications.eventId, eventId), eq(notifications.status, "pending")))
    .returning({ channel: notifications.channel });
}

/** One page of a user's notifications, newest first, and their total count. */
export async function listForUser(
  db: Db,
  userId: string,
  page: PageQuery,
): Promise<{ rows: NotificationRow[]; total: number }> {
  const mine = eq(notifications.userId, userId);
  const [rows, totals] = await db.batch([
    db
      .select()
      .from(notifications)
      .where(mine)
      .orderBy(desc(notifications.createdAt), desc(sql`rowid`))
      .limit(page.limit)
      .offset((page.page - 1) * page.limit),
    db.select({ total: count() }).from(notifications).where(mine),
  ]);
  return { rows, total: totals[0]?.total ?? 0 };
}
