import { errors, type OutboxedEvent } from "@edge-shop/worker-kit";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import {
  findLiveToken,
  isTokenRace,
  useAllOfPurpose,
  useToken,
  whenUsed,
} from "../db/queries/account-tokens";
import { findUserByEmail, findUserById } from "../db/queries/users";
import { type UserRow, users } from "../db/schema";
import { hashToken, isTokenShaped } from "../tokens/opaque";
import { invalidToken, issueLink } from "./account-links";
import { emailTaken, isUniqueViolation, wrongCurrentPassword } from "./accounts";
import { outboxed } from "./events";
import { checkPassword } from "./password-check";

interface Meta {
  now: number;
  correlationId: string;
}

/**
 * `POST /api/users/verify-email/request`: a new verification link to the caller's address. Answers the event to
 * publish, or `verified: true` when there is nothing to confirm (or too many live links: the inbox has one).
 */
export async function requestVerification(
  db: Db,
  userId: string,
  meta: Meta,
): Promise<{ verified: boolean; published?: OutboxedEvent }> {
  const user = await findUserById(db, userId);
  if (!user) throw errors.notFound("User");
  if (user.emailVerified) return { verified: true };
  const published = await issueLink(
    db,
    { who: eq(users.id, userId), email: sql`${users.email}` },
    "verify_email",
    meta,
  );
  return published ? { verified: false, published } : { verified: false };
}

/**
 * `POST /api/users/email`: after the current password, a confirmation link to the new address (409 when an
 * account already has it). The login email changes only when the link is used (`confirmLink`).
 */
export async function requestEmailChange(
  db: Db,
  userId: string,
  change: { newEmail: string; currentPassword: string },
  meta: Meta,
): Promise<OutboxedEvent | undefined> {
  const user = await checkPassword(db, { id: userId }, change.currentPassword, {
    now: meta.now,
    rehash: false,
  });
  if (!user) throw wrongCurrentPassword();
  if (user.email === change.newEmail) {
    throw errors.validation([{ path: "newEmail", message: "This is already your email address" }]);
  }
  if (await findUserByEmail(db, change.newEmail)) throw emailTaken();
  return issueLink(db, { who: eq(users.id, userId), email: sql`${change.newEmail}` }, "change_email", meta);
}

/**
 * `POST /api/users/verify-email`: uses a verification link (the address it was sent to is verified, if it is
 * still the account's) or an email-change link (the login email becomes the new, verified address; 409 when
 * another account took it meanwhile; the old address is told). Any other token is `invalid_token`.
 */
export async function confirmLink(
  db: Db,
  token: string,
  meta: Meta,
): Promise<{ user: UserRow; published: OutboxedEvent[] }> {
  if (!isTokenShaped(token)) throw invalidToken();
  const found = await findLiveToken(db, await hashToken(token), ["verify_email", "change_email"], meta.now);
  if (!found) throw invalidToken();
  const { token: link, user } = found;
  const used = useToken(db, link.id, meta.now);
  try {
    if (link.purpose === "verify_email") {
      const [, verified] = await db.batch([
        used,
        db
          .update(users)
          .set({ emailVerified: true, updatedAt: whenUsed(meta.now) })
          .where(and(eq(users.id, user.id), eq(users.email, link.email)))
          .returning(),
      ]);
      // The account's address changed since this link was sent: it verifies nothing now.
      const [row] = verified;
      if (!row) throw invalidToken();
      return { user: row, published: [] };
    }
    const notice = outboxed(
      db,
      "user.email_changed",
      { userId: user.id, email: user.email, firstName: user.firstName, newEmail: link.email },
      meta.correlationId,
    );
    const [, changed] = await db.batch([
      used,
      db
        .update(users)
        .set({ email: whenUsed(link.email), emailVerified: true, updatedAt: meta.now })
        .where(eq(users.id, user.id))
        .returning(),
      useAllOfPurpose(db, user.id, "change_email", meta.now),
      notice.insert,
    ]);
    const [row] = changed;
    if (!row) throw invalidToken();
    return { user: row, published: [notice.published] };
  } catch (error) {
    if (isTokenRace(error)) throw invalidToken();
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}
