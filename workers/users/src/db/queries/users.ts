import type { User } from "@edge-shop/contracts";
import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { type UserRow, users } from "../schema";

/** The public shape of an account: never the hash or the lock state. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    role: row.role,
    emailVerified: row.emailVerified,
    disabled: row.disabled,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export function insertUser(db: Db, row: typeof users.$inferInsert) {
  return db.insert(users).values(row);
}

export async function updateNames(
  db: Db,
  id: string,
  names: { firstName?: string | undefined; lastName?: string | undefined },
  now: number,
): Promise<void> {
  const set: Partial<typeof users.$inferInsert> = { updatedAt: now };
  if (names.firstName !== undefined) set.firstName = names.firstName;
  if (names.lastName !== undefined) set.lastName = names.lastName;
  await db.update(users).set(set).where(eq(users.id, id));
}

export function setPasswordHash(db: Db, id: string, passwordHash: string, now: number) {
  return db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, id));
}
