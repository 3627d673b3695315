import { AppError } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import {
  findRefreshToken,
  insertRefreshToken,
  markUsed,
  revokeAllOfUser,
  revokeFamily,
} from "../db/queries/refresh-tokens";
import { findUserById } from "../db/queries/users";
import type { UserRow } from "../db/schema";
import { hashToken, randomToken } from "../tokens/opaque";

const DEFAULT_REFRESH_TTL_SECONDS = 30 * 24 * 3600;

/** The refresh token lifetime from REFRESH_TOKEN_TTL_SECONDS (30 days when unset or invalid). */
export function refreshTokenTtlMs(value: string | undefined): number {
  const ttl = Number(value);
  return (Number.isInteger(ttl) && ttl > 0 ? ttl : DEFAULT_REFRESH_TTL_SECONDS) * 1000;
}

/** SHA-256 of the token: the database never holds a usable refresh token. */
export const hashRefreshToken = hashToken;

export function invalidRefreshToken(): AppError {
  return new AppError(401, "invalid_refresh_token", "The refresh token is invalid, expired or revoked");
}

/**
 * A new opaque refresh token (32 random bytes) and the insert that stores its hash. A new family starts at
 * login or registration; a rotation stays in its family.
 */
export async function newRefreshToken(
  db: Db,
  options: { userId: string; familyId?: string; ttlMs: number; now: number },
) {
  const token = randomToken();
  const insert = insertRefreshToken(db, {
    id: crypto.randomUUID(),
    tokenHash: await hashRefreshToken(token),
    userId: options.userId,
    familyId: options.familyId ?? crypto.randomUUID(),
    createdAt: options.now,
    expiresAt: options.now + options.ttlMs,
  });
  return { token, insert };
}

/**
 * Exchanges a refresh token for a new one in the same family. A token that was already used or revoked
 * means it leaked (or a client replayed it): the whole family is revoked, so the thief's copy dies too.
 */
export async function rotateRefreshToken(
  db: Db,
  token: string,
  options: { ttlMs: number; now: number },
): Promise<{ user: UserRow; refreshToken: string }> {
  const row = await findRefreshToken(db, await hashRefreshToken(token));
  if (!row) throw invalidRefreshToken();
  if (row.usedAt !== null || row.revokedAt !== null) {
    await revokeFamily(db, row.familyId, options.now);
    throw invalidRefreshToken();
  }
  if (row.expiresAt <= options.now) throw invalidRefreshToken();
  const user = await findUserById(db, row.userId);
  // A disabled account's families were revoked when it was disabled; this covers a token issued meanwhile.
  if (!user || user.disabled) throw invalidRefreshToken();
  const next = await newRefreshToken(db, { userId: user.id, familyId: row.familyId, ...options });
  // One atomic batch: the successor exists exactly when the guarded update found the token unused. When two
  // requests race with one token, the loser's update matches nothing; it then revokes the family, which by
  // then holds the winner's successor (D1 runs batches one at a time), so a replayed token never survives.
  const [, used] = await db.batch([next.insert, markUsed(db, row.id, options.now)]);
  if (used.length === 0) {
    await revokeFamily(db, row.familyId, options.now);
    throw invalidRefreshToken();
  }
  return { user, refreshToken: next.token };
}

/** Logout: revokes the token's whole session (family) when it belongs to the caller; silent otherwise. */
export async function revokeSession(db: Db, token: string, userId: string, now: number): Promise<void> {
  const row = await findRefreshToken(db, await hashRefreshToken(token));
  if (row && row.userId === userId) await revokeFamily(db, row.familyId, now);
}

/** Every session of a user (after a password change or reset, when disabled). */
export function revokeAllSessions(db: Db, userId: string, now: number) {
  return revokeAllOfUser(db, userId, now);
}
