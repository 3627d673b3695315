import { DEFAULT_PREFERENCES, type EventType, type PageQuery } from "@edge-shop/contracts";
import { chunksOf, D1_MAX_BOUND_PARAMETERS } from "@edge-shop/worker-kit";
import {
  and,
  count,
  desc,
  eq,
  getTableColumns,
  inArray,
  isNotNull,
  isNull,
  lt,
  ne,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import { ACCOUNT, channelsFor, TRANSACTIONAL } from "../../delivery/policy";
import type { Db } from "../client";
import {
  erasedUsers,
  type NotificationChannel,
  NotificationChannels,
  notifications,
  preferences,
} from "../schema";

export type NotificationRow = typeof notifications.$inferSelect;

/** How long a claimed row stays locked to its delivery; a crashed delivery frees it after this. */
const LEASE_MS = 60_000;

/** The texts of a message: email plain text and HTML, and the short SMS text. */
export interface Texts {
  text: string;
  html: string;
  sms: string;
}

/** What an event says to its user on each channel; the user's preferences decide which channels (and the phone). */
export interface Draft extends Texts {
  userId: string;
  eventId: string;
  eventType: EventType;
  email: string;
  subject: string;
  /** The copy the delivery log keeps: the texts sent, or with their one-time tokens masked (a real provider). */
  stored: Texts;
}

export type Claim =
  | { kind: "claimed"; row: NotificationRow }
  | { kind: "done"; row: NotificationRow }
  | { kind: "busy"; row: NotificationRow };

type Insertable = { [K in keyof typeof notifications.$inferInsert]-?: SQL | string | number | null };

// INSERT … SELECT <row> WHERE <when>: the row is recorded only when the channel applies (decided inside the
// batch from the preferences row); a row of an earlier delivery is kept (the (event, channel) key).
function insertWhen(db: Db, row: Insertable, when: SQL) {
  const values = Object.keys(getTableColumns(notifications)).map((key) => {
    const value = row[key as keyof Insertable];
    return value === null ? sql`null` : sql`${value}`;
  });
  return db
    .insert(notifications)
    .select(sql`select ${sql.join(values, sql`, `)} where ${when}`)
    .onConflictDoNothing({ target: [notifications.eventId, notifications.channel] });
}

/** A draft to record and claim; `revive` lets a `failed` row be taken again (a fresh delivery). */
export interface ClaimRequest {
  draft: Draft;
  revive: boolean;
}

export type ChannelClaim = { channel: NotificationChannel; claim: Claim };

// Per draft: the preferences row, whether the person was erased, then insert and claim per channel of
// NotificationChannels.
const STATEMENTS_PER_DRAFT = 2 + 2 * NotificationChannels.length;

function claimStatements(db: Db, { draft, revive }: ClaimRequest, now: number) {
  const mine = eq(preferences.userId, draft.userId);
  const erased = eq(erasedUsers.userId, draft.userId);
  const notErased = sql`not exists (select 1 from ${erasedUsers} where ${erased})`;
  const applies: Record<NotificationChannel, SQL> = {
    email:
      TRANSACTIONAL.has(draft.eventType) || ACCOUNT.has(draft.eventType)
        ? notErased
        : sql`coalesce((select ${preferences.email} from ${preferences} where ${mine}), 1) = 1 and ${notErased}`,
    sms: ACCOUNT.has(draft.eventType)
      ? sql`0`
      : sql`exists (select 1 from ${preferences} where ${and(mine, eq(preferences.sms, true), isNotNull(preferences.phone), ne(preferences.phone, ""))}) and ${notErased}`,
  };
  const phone = sql`coalesce((select ${preferences.phone} from ${preferences} where ${mine}), '')`;
  const claimable = revive
    ? or(eq(notifications.status, "pending"), eq(notifications.status, "failed"))
    : eq(notifications.status, "pending");
  const perChannel = NotificationChannels.flatMap((channel) => [
    insertWhen(
      db,
      {
        id: crypto.randomUUID(),
        userId: draft.userId,
        channel,
        recipient: channel === "email" ? draft.email : phone,
        subject: draft.subject,
        body: channel === "email" ? draft.stored.text : draft.stored.sms,
        html: channel === "email" ? draft.stored.html : null,
        status: "pending",
        attempts: 0,
        lastError: null,
        eventId: draft.eventId,
        eventType: draft.eventType,
        lockedUntil: null,
        createdAt: now,
        updatedAt: now,
      },
      applies[channel],
    ),
    db
      .update(notifications)
      .set({
        status: "pending",
        attempts: sql`${notifications.attempts} + 1`,
        lockedUntil: now + LEASE_MS,
        updatedAt: now,
      })
      .where(
        and(
          eq(notifications.eventId, draft.eventId),
          eq(notifications.channel, channel),
          claimable,
          or(isNull(notifications.lockedUntil), lt(notifications.lockedUntil, now)),
          applies[channel],
        ),
      )
      .returning(),
  ]);
  return [
    db.select().from(preferences).where(mine),
    db.select({ userId: erasedUsers.userId }).from(erasedUsers).where(erased),
    ...perChannel,
  ] as const;
}

/**
 * Records the notifications of a batch of events and takes them for sending, in ONE batch that also reads
 * each user's preferences and whether the person was erased: which channels apply (`channelsFor`; none for an
 * erased person) is decided by SQL conditions over the same rows, in the same transaction, so the rows recorded
 * and the channels reported always agree. Per
 * channel that applies: the (event, channel) row is inserted unless it exists, then claimed. A `sent` row is
 * done; a `failed` one is done too unless `revive` (a fresh delivery, e.g. a replay from the dead-letter
 * queue); a `pending` row locked by another delivery is busy. Only a redelivery reads again (one read for the
 * rows it could not claim). Answers each request's claims, in the order of `requests`; each event at most once
 * in `requests` (the second copy would find the row the first just locked, and be told busy).
 */
export async function claimChannels(db: Db, requests: ClaimRequest[]): Promise<ChannelClaim[][]> {
  if (requests.length === 0) return [];
  const now = Date.now();
  const [first, ...rest] = requests.flatMap((request) => claimStatements(db, request, now));
  if (!first) return [];
  const results = await db.batch([first, ...rest]);
  const pending = requests.map(({ draft }, i) => {
    const [prefsRows, erasedRows, ...perChannel] = results.slice(
      i * STATEMENTS_PER_DRAFT,
      (i + 1) * STATEMENTS_PER_DRAFT,
    );
    const [prefs] = prefsRows as (typeof preferences.$inferSelect)[];
    // An erased person gets nothing more: no channel applies (the SQL conditions agree).
    const channels =
      (erasedRows as unknown[]).length > 0
        ? []
        : channelsFor(
            draft.eventType,
            prefs ? { email: prefs.email, sms: prefs.sms, phone: prefs.phone } : { ...DEFAULT_PREFERENCES },
          );
    // Results alternate insert, claim (its returned row) per channel of NotificationChannels.
    const claimed = new Map(
      NotificationChannels.map((channel, c) => [channel, (perChannel[2 * c + 1] as NotificationRow[])[0]]),
    );
    return { draft, channels, claimed, unclaimed: channels.filter((channel) => !claimed.get(channel)) };
  });
  const unclaimedEvents = pending.filter((p) => p.unclaimed.length > 0).map((p) => p.draft.eventId);
  const existing =
    unclaimedEvents.length === 0
      ? []
      : await db.select().from(notifications).where(inArray(notifications.eventId, unclaimedEvents));
  return pending.map(({ draft, channels, claimed }) =>
    channels.map((channel): ChannelClaim => {
      const row = claimed.get(channel);
      if (row) return { channel, claim: { kind: "claimed", row } };
      const found = existing.find((r) => r.eventId === draft.eventId && r.channel === channel);
      if (!found) throw new Error(`notification of ${draft.eventId}/${channel} vanished`);
      return { channel, claim: { kind: found.status === "pending" ? "busy" : "done", row: found } };
    }),
  );
}

/** The provider accepted these messages: one write for all the rows a batch of events sent. */
export async function markSent(db: Db, ids: string[]): Promise<void> {
  // A queue batch holds at most 100 messages, two channels each; the SET binds a few parameters of its own.
  for (const part of chunksOf(ids, D1_MAX_BOUND_PARAMETERS - 10)) {
    await db
      .update(notifications)
      .set({ status: "sent", lockedUntil: null, lastError: null, updatedAt: Date.now() })
      .where(inArray(notifications.id, part));
  }
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

/** Every notification of a user, newest first (the export of their data). */
export function allForUser(db: Db, userId: string): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(sql`rowid`));
}
