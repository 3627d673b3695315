import { type SQL, sql } from "drizzle-orm";

/**
 * Failed-login protection per account: after `FREE_FAILURES` consecutive failures the account is locked
 * for 1 minute, doubling with every further failure up to 15 minutes. A success resets the count. The lock
 * always expires, so an attacker can slow a victim down but never lock them out for good; attempts made
 * while locked neither count nor extend the lock.
 *
 * The lock holds under parallel guesses: a password is checked only after its attempt was claimed by one
 * guarded UPDATE (`db/queries/password-claims.ts`), and no more claims are granted than failures are left
 * before the lock. See docs/architecture.md, "Users and tokens".
 */
export const FREE_FAILURES = 5;
export const BASE_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 15 * 60_000;
/** A claim whose check never settled (the isolate died mid-hash) stops counting after this long. */
export const CLAIM_TTL_MS = 30_000;

/** How long to lock after the given number of consecutive failures (0 = no lock). */
export function lockDurationMs(consecutiveFailures: number): number {
  if (consecutiveFailures < FREE_FAILURES) return 0;
  const doublings = Math.min(consecutiveFailures - FREE_FAILURES, 10);
  return Math.min(BASE_LOCK_MS * 2 ** doublings, MAX_LOCK_MS);
}

/** Whether an account is locked at `now`. */
export function isLocked(lockedUntil: number | null, now: number): boolean {
  return lockedUntil !== null && lockedUntil > now;
}

/**
 * `lockDurationMs(failures)` as a SQL expression over a column expression, so a guarded UPDATE can lock in the
 * same statement that counts. Built from the function itself: one policy, written once.
 */
export function lockDurationSql(failures: SQL): SQL {
  const cases: SQL[] = [];
  for (let n = FREE_FAILURES; lockDurationMs(n) < MAX_LOCK_MS; n++) {
    cases.push(sql`when ${failures} <= ${n} then ${lockDurationMs(n)}`);
  }
  return sql`(case when ${failures} < ${FREE_FAILURES} then 0 ${sql.join(cases, sql` `)} else ${MAX_LOCK_MS} end)`;
}
