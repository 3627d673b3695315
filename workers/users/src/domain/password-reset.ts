import type { OutboxedEvent } from "@edge-shop/worker-kit";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import {
  findLiveToken,
  isTokenRace,
  useAllOfPurpose,
  useToken,
  whenUsed,
} from "../db/queries/account-tokens";
import { clearedLockout } from "../db/queries/password-claims";
import { users } from "../db/schema";
import { hashToken, isTokenShaped } from "../tokens/opaque";
import { invalidToken, issueLink } from "./account-links";
import { hashPassword } from "./password";
import { revokeAllSessions } from "./sessions";

/**
 * `POST /api/users/password/forgot`: a reset link to the account with this email, if there is one that may
 * receive it. ONE D1 batch either way, with the same statements (`issueLink`): neither the answer nor its
 * database work says whether the account exists. Answers the event to publish (after the response).
 */
export function requestPasswordReset(
  db: Db,
  email: string,
  meta: { now: number; correlationId: string },
): Promise<OutboxedEvent | undefined> {
  return issueLink(db, { who: eq(users.email, email), email: sql`${users.email}` }, "reset_password", meta);
}

/**
 * `POST /api/users/password/reset`: uses a reset link, once. The new password (hashed as at registration)
 * replaces the old one, the lock and every claim are cleared, every session (refresh family) is revoked and
 * every other live reset link of the account is used up, in one batch that fails when a concurrent request used
 * the link first.
 */
export async function resetPassword(db: Db, token: string, password: string, now: number): Promise<void> {
  if (!isTokenShaped(token)) throw invalidToken();
  const found = await findLiveToken(db, await hashToken(token), ["reset_password"], now);
  if (!found) throw invalidToken();
  const userId = found.user.id;
  const passwordHash = await hashPassword(password);
  try {
    await db.batch([
      useToken(db, found.token.id, now),
      db
        .update(users)
        .set({ passwordHash: whenUsed(passwordHash), ...clearedLockout, updatedAt: now })
        .where(eq(users.id, userId)),
      revokeAllSessions(db, userId, now),
      useAllOfPurpose(db, userId, "reset_password", now),
    ]);
  } catch (error) {
    if (isTokenRace(error)) throw invalidToken();
    throw error;
  }
}
