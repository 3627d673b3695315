/**
 * Failed-login protection per account: after `FREE_FAILURES` consecutive failures the account is locked
 * for 1 minute, doubling with every further failure up to 15 minutes. A success resets the count. The lock
 * always expires, so an attacker can slow a victim down but never lock them out for good; attempts made
 * while locked neither count nor extend the lock.
 */
export const FREE_FAILURES = 5;
export const BASE_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 15 * 60_000;

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
