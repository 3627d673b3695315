import { sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { deadLetterCounts } from "./dead-letters";

// biome-ignore lint/suspicious/noExplicitAny: drizzle's D1 database is generic over each service's schema
type Db = DrizzleD1Database<any>;

async function migrations(db: Db): Promise<{ applied: number; latest: string | null }> {
  try {
    // The table wrangler (and the test helper) keeps of applied migrations; names sort in applied order.
    const [row] = await db.all<{ applied: number; latest: string | null }>(
      sql`SELECT count(*) AS applied, max(name) AS latest FROM d1_migrations`,
    );
    return { applied: row?.applied ?? 0, latest: row?.latest ?? null };
  } catch {
    return { applied: 0, latest: null };
  }
}

async function outboxBacklog(db: Db, now: number) {
  const [row] = await db.all<{ unsent: number; oldest: number | null }>(
    sql`SELECT count(*) AS unsent, min(created_at) AS oldest FROM outbox WHERE sent_at IS NULL`,
  );
  const oldest = row?.oldest ?? null;
  return {
    unsent: row?.unsent ?? 0,
    oldestAgeSeconds: oldest === null ? null : Math.max(0, Math.round((now - oldest) / 1000)),
  };
}

/** What `GET /api/admin/status` shows of one service: version, migrations, outbox backlog, dead letters. */
export async function serviceStatus(
  db: Db,
  options: { service: string; version: string | undefined; deadLetters: boolean },
) {
  const now = Date.now();
  const [applied, outbox, dead] = await Promise.all([
    migrations(db),
    outboxBacklog(db, now),
    options.deadLetters ? deadLetterCounts(db) : Promise.resolve(null),
  ]);
  return {
    service: options.service,
    status: "OK" as const,
    version: options.version || "unknown",
    migrations: applied,
    outbox,
    deadLetters: dead,
  };
}
export type ServiceStatus = Awaited<ReturnType<typeof serviceStatus>>;
