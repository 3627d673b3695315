import { and, eq, type SQL, sql } from "drizzle-orm";
import { CLAIM_TTL_MS, FREE_FAILURES, lockDurationSql } from "../../domain/lockout";
import type { Db } from "../client";
import { type UserRow, users } from "../schema";

/** Which account a password check is for: by email (login) or by id (a signed-in caller). */
export type AccountKey = { email: string } | { id: string };

function where(key: AccountKey): SQL | undefined {
  return and("email" in key ? eq(users.email, key.email) : eq(users.id, key.id), eq(users.disabled, false));
}

/**
 * Claims one password check for an account, before any hashing, in ONE guarded UPDATE: a claim is granted while
 * the account is not locked and the checks in flight stay below the failures left before the lock (at least one
 * after a lock expired). A claim refused for that budget (more guesses at once than failures allowed) locks the
 * account at once, as if the next failure had happened. D1 runs statements one at a time, so however many
 * requests arrive together, at most that many are granted. Answers the account row (undefined: unknown or
 * disabled); the claim was granted exactly when its `lastClaim` is `claimId`.
 */
export async function claimPasswordCheck(
  db: Db,
  key: AccountKey,
  now: number,
  claimId: string,
): Promise<UserRow | undefined> {
  const unlocked = sql`(${users.lockedUntil} is null or ${users.lockedUntil} <= ${now})`;
  const inFlight = sql`(case when ${users.claimsExpireAt} > ${now} then ${users.loginClaims} else 0 end)`;
  const granted = sql`(${unlocked} and ${inFlight} < max(1, ${FREE_FAILURES} - ${users.failedLogins}))`;
  const nextLock = lockDurationSql(sql`max(${FREE_FAILURES}, ${users.failedLogins} + 1)`);
  const [row] = await db
    .update(users)
    .set({
      loginClaims: sql`case when ${granted} then ${inFlight} + 1 else ${users.loginClaims} end`,
      claimsExpireAt: sql`case when ${granted} then ${now + CLAIM_TTL_MS} else ${users.claimsExpireAt} end`,
      lastClaim: sql`case when ${granted} then ${claimId} else ${users.lastClaim} end`,
      lockedUntil: sql`case when ${unlocked} and not ${granted} then ${now} + ${nextLock} else ${users.lockedUntil} end`,
    })
    .where(where(key))
    .returning();
  return row;
}

/**
 * A granted check found the wrong password: one more consecutive failure, the claim released, and the lock
 * (never shortened) once the failures reach the limit. Given an id no account has, it changes nothing: a check
 * for an unknown or disabled account runs it anyway, so it costs the round trips of a wrong password.
 */
export function settleFailure(db: Db, id: string, now: number) {
  const failures = sql`${users.failedLogins} + 1`;
  return db
    .update(users)
    .set({
      failedLogins: failures,
      loginClaims: sql`max(${users.loginClaims} - 1, 0)`,
      lockedUntil: sql`case when ${failures} >= ${FREE_FAILURES}
        then max(coalesce(${users.lockedUntil}, 0), ${now} + ${lockDurationSql(failures)})
        else ${users.lockedUntil} end`,
    })
    .where(eq(users.id, id));
}

/**
 * A granted check found the right password: past failures are forgotten and the claim released, with the
 * rehashed password when there is one. A lock set meanwhile by guesses running alongside stays until it expires.
 */
export function settleSuccess(db: Db, id: string, now: number, passwordHash?: string) {
  return db
    .update(users)
    .set({
      failedLogins: 0,
      loginClaims: sql`max(${users.loginClaims} - 1, 0)`,
      lockedUntil: sql`case when ${users.lockedUntil} > ${now} then ${users.lockedUntil} else null end`,
      ...(passwordHash ? { passwordHash } : {}),
    })
    .where(eq(users.id, id));
}

/** The lock and every claim forgotten (a password reset proves who the owner is). */
export const clearedLockout = {
  failedLogins: 0,
  lockedUntil: null,
  loginClaims: 0,
  claimsExpireAt: null,
} as const;
