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

// Matches no account: the settle of an unknown or disabled account's check changes nothing, but costs the same
// round trip as a wrong password's.
const NO_ACCOUNT = "";

/**
 * Checks a password under the per-account lock (login, and the current password of a signed-in caller): the
 * check is claimed first (`claimPasswordCheck`), and only a granted claim compares with the account's hash. An
 * unknown or disabled account costs what a wrong password costs (one argon2id run, against a hash nothing
 * matches, and the same two D1 calls). A refused claim (locked, or more checks at once than failures left) is
 * answered at once, without hashing: a burst of guesses must not buy a burst of CPU. Answers the account when
 * the password is right.
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
  // One line per check, so the lock's effect can be seen (and counted) in the logs; never the email.
  if (row && !granted) {
    log("info", "password check", { userId: row.id, outcome: "not_evaluated" });
    return null;
  }
  const right = await verifyPassword(password, granted?.passwordHash ?? DUMMY_HASH);
  if (granted) log("info", "password check", { userId: granted.id, outcome: right ? "right" : "wrong" });
  if (granted && right) {
    const rehashed =
      options.rehash && needsRehash(granted.passwordHash) ? await hashPassword(password) : undefined;
    await settleSuccess(db, granted.id, options.now, rehashed);
    return granted;
  }
  await settleFailure(db, granted?.id ?? NO_ACCOUNT, options.now);
  return null;
}
