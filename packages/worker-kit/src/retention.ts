import { and, isNotNull, lt, type SQL, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { inbox, outbox } from "./tables";

// biome-ignore lint/suspicious/noExplicitAny: drizzle's D1 database is generic over each service's schema
type Db = DrizzleD1Database<any>;

/** Rows one purge statement removes at most: each statement stays short, whatever has piled up. */
export const PURGE_BATCH = 500;
/** Statements per table and run: a cron run purges at most PURGE_BATCH × this, the rest goes next minute. */
export const PURGE_BATCHES_PER_RUN = 4;

const DAY_MS = 24 * 3600_000;

/** A retention var (whole days, e.g. `EVENT_RETENTION_DAYS = "30"`) in ms; `fallbackDays` when unset or invalid. */
export function retentionMs(days: string | undefined, fallbackDays: number): number {
  const value = Number(days);
  return (Number.isInteger(value) && value > 0 ? value : fallbackDays) * DAY_MS;
}

/**
 * Deletes the rows of `table` that `where` selects, PURGE_BATCH at a time (by rowid, so a table keyed by several
 * columns works too), for at most PURGE_BATCHES_PER_RUN statements. Returns how many went.
 */
export async function purgeInBatches(db: Db, table: SQLiteTable, where: SQL): Promise<number> {
  let purged = 0;
  for (let batch = 0; batch < PURGE_BATCHES_PER_RUN; batch++) {
    const result = await db.run(
      sql`delete from ${table} where rowid in (select rowid from ${table} where ${where} limit ${PURGE_BATCH})`,
    );
    const gone = result.meta.changes ?? 0;
    purged += gone;
    if (gone < PURGE_BATCH) break;
  }
  return purged;
}

/** What a service's events leave behind: outbox rows sent before `before`, inbox ids applied before it. */
export async function purgeEventRecords(db: Db, before: number): Promise<{ outbox: number; inbox: number }> {
  return {
    // Unsent rows stay whatever their age: the sweep still has to send them.
    outbox: await purgeInBatches(
      db,
      outbox,
      and(isNotNull(outbox.sentAt), lt(outbox.sentAt, before)) ?? sql`0`,
    ),
    inbox: await purgeInBatches(db, inbox, lt(inbox.processedAt, before)),
  };
}
