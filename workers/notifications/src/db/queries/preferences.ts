import { DEFAULT_PREFERENCES, type Preferences, type PreferencesPatch } from "@edge-shop/contracts";
import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { preferences } from "../schema";

/** A user's preferences, or the defaults (email on, sms off) when they never set any. */
export async function getPreferences(db: Db, userId: string): Promise<Preferences> {
  const [row] = await db.select().from(preferences).where(eq(preferences.userId, userId));
  return row ? { email: row.email, sms: row.sms, phone: row.phone } : { ...DEFAULT_PREFERENCES };
}

/**
 * Applies a patch: only the fields it names change. The row's CHECK constraint refuses sms without a
 * phone even when two PATCHes race past the handler's own check.
 */
export async function updatePreferences(
  db: Db,
  userId: string,
  patch: PreferencesPatch,
): Promise<Preferences> {
  const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  const now = Date.now();
  const [row] = await db
    .insert(preferences)
    .values({ ...DEFAULT_PREFERENCES, ...changes, userId, updatedAt: now })
    .onConflictDoUpdate({ target: preferences.userId, set: { ...changes, updatedAt: now } })
    .returning();
  if (!row) throw new Error("preferences upsert returned no row");
  return { email: row.email, sms: row.sms, phone: row.phone };
}
