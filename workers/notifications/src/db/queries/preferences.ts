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
 * Applies a patch: only the fields it names change. `expected` is the state the caller validated
 * (current + patch); it is the row inserted by a first PATCH (SQLite checks constraints on the
 * candidate row even when the upsert turns into an update). The CHECK constraint refuses sms without
 * a phone even when two PATCHes race past the handler's own check: then the answer is null.
 */
export async function updatePreferences(
  db: Db,
  userId: string,
  patch: PreferencesPatch,
  expected: Preferences,
): Promise<Preferences | null> {
  const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  const now = Date.now();
  let rows: (typeof preferences.$inferSelect)[];
  try {
    rows = await db
      .insert(preferences)
      .values({ ...expected, userId, updatedAt: now })
      .onConflictDoUpdate({ target: preferences.userId, set: { ...changes, updatedAt: now } })
      .returning();
  } catch (error) {
    if (isCheckViolation(error)) return null;
    throw error;
  }
  const [row] = rows;
  if (!row) throw new Error("preferences upsert returned no row");
  return { email: row.email, sms: row.sms, phone: row.phone };
}

function isCheckViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message.includes("CHECK constraint failed")) return true;
  }
  return false;
}
