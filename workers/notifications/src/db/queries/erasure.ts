import { deadLetters } from "@edge-shop/worker-kit";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { erasedUsers, notifications, preferences } from "../schema";

/**
 * `user.deleted`: everything this service holds about the person goes in one batch (the delivery log's
 * recipients and bodies, the preferences and phone, dead letters of their events), and the id is remembered so a
 * message that arrives late writes nothing of them again. Every statement is idempotent: a redelivery is harmless.
 */
export function eraseUsers(db: Db, userIds: string[], now: number) {
  return userIds.flatMap((userId) => [
    db.delete(notifications).where(eq(notifications.userId, userId)),
    db.delete(preferences).where(eq(preferences.userId, userId)),
    db.delete(deadLetters).where(eq(sql`json_extract(${deadLetters.body}, '$.data.userId')`, userId)),
    db.insert(erasedUsers).values({ userId, erasedAt: now }).onConflictDoNothing(),
  ]);
}
