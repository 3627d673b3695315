import type { Role } from "@edge-shop/contracts";
import { and, count, desc, eq, ne, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { type UserRow, users } from "../schema";

export interface UserFilter {
  search?: string | undefined;
  role?: Role | undefined;
  page: number;
  limit: number;
}

// instr(), not LIKE: D1 refuses LIKE patterns over 50 bytes (a whole email with a uuid in it is longer), and a
// substring needs no escaping of LIKE's wildcards.
function matching(search: string): SQL | undefined {
  const needle = search.toLowerCase();
  const contains = (column: SQL) => sql`instr(${column}, ${needle}) > 0`;
  return or(
    contains(sql`${users.email}`),
    contains(sql`lower(${users.firstName})`),
    contains(sql`lower(${users.lastName})`),
    contains(sql`lower(${users.firstName} || ' ' || ${users.lastName})`),
  );
}

/** A page of accounts, newest first, matching an email or name fragment and a role, and the total: one batch. */
export async function listUsers(db: Db, filter: UserFilter): Promise<{ rows: UserRow[]; total: number }> {
  const where = and(
    filter.search ? matching(filter.search) : undefined,
    filter.role ? eq(users.role, filter.role) : undefined,
  );
  const [rows, totals] = await db.batch([
    db
      .select()
      .from(users)
      .where(where)
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(filter.limit)
      .offset((filter.page - 1) * filter.limit),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

/**
 * Changes an account's role and/or disabled flag, unless that would leave no enabled admin (the guard is part of
 * the UPDATE, so two admins demoting each other at once cannot both succeed). Answers the row, or undefined when
 * the guard refused.
 */
export function updateRoleOrDisabled(
  db: Db,
  id: string,
  change: { role?: Role | undefined; disabled?: boolean | undefined },
  now: number,
) {
  const set: Partial<typeof users.$inferInsert> = { updatedAt: now };
  if (change.role !== undefined) set.role = change.role;
  if (change.disabled !== undefined) set.disabled = change.disabled;
  const losesAdmin = change.role === "user" || change.disabled === true;
  const otherAdmins = db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.disabled, false), ne(users.id, id)));
  return db
    .update(users)
    .set(set)
    .where(
      and(
        eq(users.id, id),
        losesAdmin ? sql`not (${users.role} = 'admin' and (${otherAdmins}) = 0)` : undefined,
      ),
    )
    .returning();
}
