import { and, eq, exists, isNull, lt } from "drizzle-orm";
import type { Db } from "../client";
import { type RefreshTokenRow, refreshTokens, users } from "../schema";

export function insertRefreshToken(db: Db, row: typeof refreshTokens.$inferInsert) {
  return db.insert(refreshTokens).values(row);
}

export async function findRefreshToken(db: Db, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).limit(1);
  return row;
}

/** Marks a live token used, returning its id; no row when another request used or revoked it first. */
export function markUsed(db: Db, id: string, now: number) {
  return db
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
}

export function revokeFamily(db: Db, familyId: string, now: number) {
  return db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

export function revokeAllOfUser(db: Db, userId: string, now: number) {
  return db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}

/** Drops tokens that expired before `before` (housekeeping from the scheduled handler). */
export async function deleteExpiredRefreshTokens(db: Db, before: number): Promise<void> {
  await db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, before));
}

/** Every session of a user, if the account is disabled (in the batch that disables it, after the update). */
export function revokeAllOfDisabled(db: Db, userId: string, now: number) {
  const disabled = db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.disabled, true)));
  return db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt), exists(disabled)));
}
