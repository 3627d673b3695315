import type { EventEnvelope } from "@edge-shop/contracts";
import { and, asc, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { chunksOf, D1_MAX_BOUND_PARAMETERS } from "./chunks";
import { errorFields, log } from "./log";
import { outbox } from "./tables";

// biome-ignore lint/suspicious/noExplicitAny: drizzle's D1 database is generic over each service's schema
type Db = DrizzleD1Database<any>;

/** Where an outbox row goes: a logical queue name mapped to the producer binding of this environment. */
export type Destinations = Record<string, Queue>;

function outboxRowId(event: EventEnvelope, destination: string): string {
  return `${event.id}:${destination}`;
}

/** The insert to put in the same `db.batch()` as the state change, one row per destination queue. */
export function outboxInsert(db: Db, event: EventEnvelope, destinations: string[]) {
  const now = Date.now();
  return db.insert(outbox).values(
    destinations.map((destination) => ({
      id: outboxRowId(event, destination),
      eventId: event.id,
      destination,
      body: JSON.stringify(event),
      createdAt: now,
    })),
  );
}

/**
 * Like `outboxInsert`, but the rows are inserted only while `condition` holds when the statement runs: after a
 * guarded update in the same batch, e.g. "the row's last transition is mine", so only the writer whose change
 * won announces it. Columns in table order, as drizzle's insert-select requires.
 */
export function outboxInsertWhen(db: Db, event: EventEnvelope, destinations: string[], condition: SQL) {
  const now = Date.now();
  const body = JSON.stringify(event);
  const selects = destinations.map(
    (destination) =>
      sql`SELECT ${outboxRowId(event, destination)}, ${event.id}, ${destination}, ${body}, ${now}, NULL, 0 WHERE ${condition}`,
  );
  return db.insert(outbox).select(sql.join(selects, sql` UNION ALL `));
}

type OutboxRow = typeof outbox.$inferSelect;

/** One outbox row to send: its id, and the message it holds. */
interface Pending {
  id: string;
  eventId: string;
  destination: string;
  message: unknown;
}

/** What a publish sent: the outbox row ids sent and failed, to record with `outboxSentUpdate`. */
export interface SendOutcome {
  sent: string[];
  failed: string[];
  eventIds: string[];
}

/** Sends each row; a failure is logged and leaves its row for `republishPending`. Never throws. */
async function sendRows(queues: Destinations, rows: Pending[]): Promise<SendOutcome> {
  const sent: string[] = [];
  const failed: string[] = [];
  for (const row of rows) {
    const queue = queues[row.destination];
    try {
      if (!queue) throw new Error(`no queue binding for destination ${row.destination}`);
      await queue.send(row.message, { contentType: "json" });
      sent.push(row.id);
    } catch (error) {
      failed.push(row.id);
      log("warn", "outbox publish failed", {
        eventId: row.eventId,
        destination: row.destination,
        ...errorFields(error),
      });
    }
  }
  return { sent, failed, eventIds: [...new Set(rows.map((row) => row.eventId))] };
}

/**
 * The ONE write that records a send's outcome, to run alone or in a later `db.batch()` of the caller: the
 * sent rows get `sent_at`, the failed ones stay unsent for `republishPending`; every row counts an attempt.
 * Undefined when nothing was to be sent. Until it commits the rows stay pending (a crash re-sends them).
 */
export function outboxSentUpdate(db: Db, outcome: SendOutcome) {
  const { sent, failed } = outcome;
  if (sent.length + failed.length === 0) return undefined;
  const now = Date.now();
  return db
    .update(outbox)
    .set({
      attempts: sql`${outbox.attempts} + 1`,
      // Only the rows just sent get a send time; a failed row keeps its NULL (still pending).
      sentAt:
        failed.length === 0
          ? now
          : sent.length === 0
            ? null
            : sql`case when ${inArray(outbox.id, sent)} then ${now} else null end`,
    })
    .where(and(inArray(outbox.id, [...sent, ...failed]), isNull(outbox.sentAt)));
}

// outboxSentUpdate binds a sent id twice and a failed one once (and the send time): a part of this many rows
// stays within D1's limit of bound parameters.
const ROWS_PER_RECORD = Math.floor((D1_MAX_BOUND_PARAMETERS - 1) / 2);

/**
 * Records a send's outcome with `outboxSentUpdate`: one write per ROWS_PER_RECORD rows (the sweep sends up to
 * 100). A failure to record is only logged: an unrecorded send is sent again by the sweep (at least once;
 * consumers dedupe by event id). Never throws.
 */
export async function recordSendOutcome(db: Db, outcome: SendOutcome): Promise<void> {
  const rows = [
    ...outcome.sent.map((id) => ({ id, sent: true })),
    ...outcome.failed.map((id) => ({ id, sent: false })),
  ];
  for (const part of chunksOf(rows, ROWS_PER_RECORD)) {
    const partOutcome = {
      sent: part.filter((row) => row.sent).map((row) => row.id),
      failed: part.filter((row) => !row.sent).map((row) => row.id),
      eventIds: outcome.eventIds,
    };
    try {
      await outboxSentUpdate(db, partOutcome);
    } catch (error) {
      log("warn", "outbox publish not recorded; the sweep sends it again", {
        eventIds: outcome.eventIds,
        ...errorFields(error),
      });
    }
  }
}

/** Sends each row, then records the outcome (`recordSendOutcome`). */
async function sendAndRecord(db: Db, queues: Destinations, rows: Pending[]): Promise<number> {
  const outcome = await sendRows(queues, rows);
  await recordSendOutcome(db, outcome);
  return outcome.sent.length;
}

function publishRows(db: Db, queues: Destinations, rows: OutboxRow[]): Promise<number> {
  return sendAndRecord(
    db,
    queues,
    rows.map((row) => ({
      id: row.id,
      eventId: row.eventId,
      destination: row.destination,
      message: JSON.parse(row.body) as unknown,
    })),
  );
}

/** Publishes the given events right after their batch committed. Failures are left for `republishPending`. */
export async function publishEvents(db: Db, queues: Destinations, eventIds: string[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  const rows = await db
    .select()
    .from(outbox)
    .where(and(inArray(outbox.eventId, eventIds), isNull(outbox.sentAt)));
  return publishRows(db, queues, rows);
}

/** An event and the destinations its `outboxInsert` wrote rows for. */
export interface OutboxedEvent {
  event: EventEnvelope;
  destinations: string[];
}

function committedRows(events: OutboxedEvent[]): Pending[] {
  return events.flatMap(({ event, destinations }) =>
    destinations.map((destination) => ({
      id: outboxRowId(event, destination),
      eventId: event.id,
      destination,
      message: event,
    })),
  );
}

/**
 * Like `publishEvents`, for events whose `outboxInsert` rows the caller has just committed and still holds
 * in memory: sends them without reading the outbox back, so a publish costs the sends and one write.
 */
export function publishCommitted(db: Db, queues: Destinations, events: OutboxedEvent[]): Promise<number> {
  return sendAndRecord(db, queues, committedRows(events));
}

/**
 * The first half of `publishCommitted`: sends the events without recording anything, so the caller can put
 * `outboxSentUpdate(db, outcome)` into a batch it runs anyway (one D1 call fewer). Never throws.
 */
export function sendCommitted(queues: Destinations, events: OutboxedEvent[]): Promise<SendOutcome> {
  return sendRows(queues, committedRows(events));
}

/**
 * The rows of `events` as sent although no queue carried them: their consumer was told another way (e.g. a
 * synchronous call it answered), so once recorded neither a publish nor the sweep sends them.
 */
export function deliveredOtherwise(events: OutboxedEvent[]): SendOutcome {
  const rows = committedRows(events);
  return {
    sent: rows.map((row) => row.id),
    failed: [],
    eventIds: [...new Set(rows.map((row) => row.eventId))],
  };
}

/** Two send outcomes as one, to record in one write. */
export function bothOutcomes(a: SendOutcome, b: SendOutcome): SendOutcome {
  return {
    sent: [...a.sent, ...b.sent],
    failed: [...a.failed, ...b.failed],
    eventIds: [...new Set([...a.eventIds, ...b.eventIds])],
  };
}

/** Republishes rows still unsent after `olderThanMs` (run from the scheduled handler). */
export async function republishPending(
  db: Db,
  queues: Destinations,
  options: { olderThanMs: number; limit?: number } = { olderThanMs: 30_000 },
): Promise<number> {
  const rows = await db
    .select()
    .from(outbox)
    .where(and(isNull(outbox.sentAt), lt(outbox.createdAt, Date.now() - options.olderThanMs)))
    .orderBy(asc(outbox.createdAt))
    .limit(options.limit ?? 100);
  return publishRows(db, queues, rows);
}
