import type { EventEnvelope } from "@edge-shop/contracts";
import { and, asc, inArray, isNull, lt } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { errorFields, log } from "./log";
import { outbox } from "./tables";

// biome-ignore lint/suspicious/noExplicitAny: drizzle's D1 database is generic over each service's schema
type Db = DrizzleD1Database<any>;

/** Where an outbox row goes: a logical queue name mapped to the producer binding of this environment. */
export type Destinations = Record<string, Queue>;

/** The insert to put in the same `db.batch()` as the state change, one row per destination queue. */
export function outboxInsert(db: Db, event: EventEnvelope, destinations: string[]) {
  const now = Date.now();
  return db.insert(outbox).values(
    destinations.map((destination) => ({
      id: `${event.id}:${destination}`,
      eventId: event.id,
      destination,
      body: JSON.stringify(event),
      createdAt: now,
    })),
  );
}

type OutboxRow = typeof outbox.$inferSelect;

async function publishRows(db: Db, queues: Destinations, rows: OutboxRow[]): Promise<number> {
  let sent = 0;
  for (const row of rows) {
    const queue = queues[row.destination];
    try {
      if (!queue) throw new Error(`no queue binding for destination ${row.destination}`);
      await queue.send(JSON.parse(row.body), { contentType: "json" });
      await db
        .update(outbox)
        .set({ sentAt: Date.now(), attempts: row.attempts + 1 })
        .where(inArray(outbox.id, [row.id]));
      sent++;
    } catch (error) {
      // The row stays unsent; the scheduled republisher tries again later.
      await db
        .update(outbox)
        .set({ attempts: row.attempts + 1 })
        .where(inArray(outbox.id, [row.id]));
      log("warn", "outbox publish failed", {
        eventId: row.eventId,
        destination: row.destination,
        ...errorFields(error),
      });
    }
  }
  return sent;
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
