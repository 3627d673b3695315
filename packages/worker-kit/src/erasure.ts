import { eq, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { deadLetters } from "./dead-letter-tables";
import { outbox } from "./tables";

// biome-ignore lint/suspicious/noExplicitAny: drizzle's D1 database is generic over each service's schema
type Db = DrizzleD1Database<any>;

/**
 * For `user.deleted`: the statements that put `replacement` where a person's user id stands in the event bodies a
 * service keeps (its outbox and, if it has one, its dead letters), so no stored event names them any longer while
 * the events themselves stay (an unsent one still goes out, a dead letter can still be replayed).
 */
export function anonymisedEventBodies(
  db: Db,
  userId: string,
  replacement: string,
  options: { deadLetters: boolean },
) {
  const path = "$.data.userId";
  const outboxRows = db
    .update(outbox)
    .set({ body: sql`json_set(${outbox.body}, ${path}, ${replacement})` })
    .where(eq(sql`json_extract(${outbox.body}, ${path})`, userId));
  if (!options.deadLetters) return [outboxRows];
  const deadRows = db
    .update(deadLetters)
    .set({ body: sql`json_set(${deadLetters.body}, ${path}, ${replacement})` })
    .where(eq(sql`json_extract(${deadLetters.body}, ${path})`, userId));
  return [outboxRows, deadRows];
}
