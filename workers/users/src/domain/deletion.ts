import type { OutboxedEvent } from "@edge-shop/worker-kit";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { accountTokens, outbox, refreshTokens, users } from "../db/schema";
import { wrongCurrentPassword } from "./accounts";
import { outboxed } from "./events";
import { checkPassword } from "./password-check";

/**
 * `DELETE /api/users/profile`: after the current password, the account is erased here in ONE batch (its row,
 * sessions, links, and the outbox rows that name it, sent or not: nothing of the person stays in this D1) with
 * the `user.deleted` event that every other service consumes to erase or anonymise what it holds. The email can
 * register again at once. Answers the event to publish.
 */
export async function deleteAccount(
  db: Db,
  userId: string,
  currentPassword: string,
  meta: { now: number; correlationId: string },
): Promise<OutboxedEvent> {
  if (!(await checkPassword(db, { id: userId }, currentPassword, { now: meta.now, rehash: false }))) {
    throw wrongCurrentPassword();
  }
  const { insert, published } = outboxed(db, "user.deleted", { userId }, meta.correlationId);
  await db.batch([
    db.delete(outbox).where(eq(sql`json_extract(${outbox.body}, '$.data.userId')`, userId)),
    db.delete(accountTokens).where(eq(accountTokens.userId, userId)),
    db.delete(refreshTokens).where(eq(refreshTokens.userId, userId)),
    db.delete(users).where(eq(users.id, userId)),
    insert,
  ]);
  return published;
}
