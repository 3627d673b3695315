import { log } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import {
  type AccountKey,
  claimPasswordCheck,
  settleFailure,
  settleSuccess,
} from "../db/queries/password-claims";
import type { UserRow } from "../db/schema";
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from "./password";

// Matches no account: the settle of a check that had no claim changes nothing, but costs the same round trip.
const NO_ACCOUNT = "";

/**
 * Checks a password under the per-account lock (login, and the current password of a signed-in caller): the
 * check is claimed first (`claimPasswordCheck`), and only a granted claim compares with the account's hash. An
 * unknown, disabled or locked account, or one with too many checks in flight, costs the same: one argon2id run
 * (against a hash nothing matches) and the same two D1 calls. Answers the account when the password is right.
 */
export async function checkPassword(
  db: Db,
  key: AccountKey,
  password: string,
  options: { now: number; rehash: boolean },
): Promise<UserRow | null> {
  const claimId = crypto.randomUUID();
  const row = await claimPasswordCheck(db, key, options.now, claimId);
  const granted = row?.lastClaim === claimId ? row : undefined;
  const right = await verifyPassword(password, granted?.passwordHash ?? DUMMY_HASH);
  // One line per check, so the lock's effect can be seen (and counted) in the logs; never the email.
  log("info", "password check", {
    userId: row?.id,
    outcome: !granted ? "not_evaluated" : right ? "right" : "wrong",
  });
  if (granted && right) {
    const rehashed =
      options.rehash && needsRehash(granted.passwordHash) ? await hashPassword(password) : undefined;
    await settleSuccess(db, granted.id, options.now, rehashed);
    return granted;
  }
  await settleFailure(db, granted?.id ?? NO_ACCOUNT, options.now);
  return null;
}
