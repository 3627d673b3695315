import type { EventEnvelope } from "@edge-shop/contracts";
import { and, count, eq, gt, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import {
  type AccountTokenRow,
  accountTokens,
  outbox,
  type TokenPurpose,
  type UserRow,
  users,
} from "../schema";

/** At most this many live links of one kind per account: a flood of requests cannot flood an inbox. */
export const MAX_LIVE_TOKENS = 3;

export interface NewToken {
  id: string;
  tokenHash: string;
  purpose: TokenPurpose;
  now: number;
  expiresAt: number;
}

/**
 * Inserts a token for the account `who` selects (a condition on `users`), bound to the address `email` (an
 * expression over `users`, or a value), unless the account is disabled or already has MAX_LIVE_TOKENS live
 * tokens of this purpose. INSERT … SELECT: the statement is the same whether or not such an account exists.
 */
export function insertTokenFor(db: Db, who: SQL, email: SQL, token: NewToken) {
  const live = db
    .select({ n: count() })
    .from(accountTokens)
    .where(
      and(
        eq(accountTokens.userId, users.id),
        eq(accountTokens.purpose, token.purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, token.now),
      ),
    );
  return db.insert(accountTokens).select(
    sql`select ${token.id}, ${token.tokenHash}, ${users.id}, ${token.purpose}, ${email}, ${token.now},
        ${token.expiresAt}, null
      from ${users} where ${who} and ${users.disabled} = 0 and (${live}) < ${MAX_LIVE_TOKENS}`,
  );
}

/**
 * The outbox row of a token's email, written only if the token row `tokenId` exists (inserted earlier in the
 * same batch): `event` is the envelope with the account's part left blank, filled here from the token and its
 * account (`data.userId`, `data.email`, `data.firstName`). Answers the body written, to publish from memory.
 */
export function outboxForToken(db: Db, event: EventEnvelope, destination: string, tokenId: string) {
  const body = sql`json_set(${JSON.stringify(event)}, '$.data.userId', ${users.id},
    '$.data.email', ${accountTokens.email}, '$.data.firstName', ${users.firstName})`;
  return db
    .insert(outbox)
    .select(
      sql`select ${`${event.id}:${destination}`}, ${event.id}, ${destination}, ${body}, ${Date.now()}, null, 0
        from ${accountTokens} join ${users} on ${users.id} = ${accountTokens.userId}
        where ${accountTokens.id} = ${tokenId}`,
    )
    .returning({ body: outbox.body });
}

/** A live token (of one of `purposes`, unused, unexpired) and its account, when that account is not disabled. */
export async function findLiveToken(
  db: Db,
  tokenHash: string,
  purposes: TokenPurpose[],
  now: number,
): Promise<{ token: AccountTokenRow; user: UserRow } | undefined> {
  const [row] = await db
    .select({ token: accountTokens, user: users })
    .from(accountTokens)
    .innerJoin(users, eq(users.id, accountTokens.userId))
    .where(
      and(
        eq(accountTokens.tokenHash, tokenHash),
        inArray(accountTokens.purpose, purposes),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now),
        eq(users.disabled, false),
      ),
    )
    .limit(1);
  return row;
}

/**
 * Uses a token, once: the guarded update changes the row only while it is unused. Put it FIRST in the batch
 * that applies it, followed by a statement that uses `whenUsed`: the batch then fails (and changes nothing)
 * when another request used the token first.
 */
export function useToken(db: Db, id: string, now: number) {
  return db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.id, id), isNull(accountTokens.usedAt)));
}

/**
 * `value` when the statement just before (the `useToken` of the same batch) used the token, else NULL: set on a
 * NOT NULL column by the statement right after it, that makes the whole batch fail when the token was taken by
 * a concurrent request (SQLite's `changes()` counts the rows the previous statement changed).
 */
export function whenUsed<T>(value: T | SQL): SQL {
  return sql`(case when changes() = 1 then ${value} end)`;
}

/** Every other live token of a purpose of the account is used up (a reset, an email change, succeeded). */
export function useAllOfPurpose(db: Db, userId: string, purpose: TokenPurpose, now: number) {
  return db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(
      and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)),
    );
}

/** Drops tokens that expired before `before` (housekeeping from the scheduled handler). */
export async function deleteExpiredTokens(db: Db, before: number): Promise<void> {
  await db.delete(accountTokens).where(lt(accountTokens.expiresAt, before));
}

/** Whether a D1 error (possibly wrapped) is the NOT NULL failure `whenUsed` causes: the token was used first. */
export function isTokenRace(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message.includes("NOT NULL constraint failed")) return true;
  }
  return false;
}
