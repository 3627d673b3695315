import type { Identity, Role } from "@edge-shop/contracts";
import { errors } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { updateRoleOrDisabled } from "../db/queries/admin-users";
import { revokeAllOfDisabled } from "../db/queries/refresh-tokens";
import { findUserById } from "../db/queries/users";
import type { UserRow } from "../db/schema";

/**
 * `PATCH /api/admin/users/:id`: an admin changes an account's role or disables (enables) it. Disabling revokes
 * every refresh family in the same batch, so the account's sessions end when their access tokens expire. An admin
 * cannot demote or disable themself, nor take the last enabled admin away (409).
 */
export async function updateUserAsAdmin(
  db: Db,
  admin: Identity,
  userId: string,
  change: { role?: Role | undefined; disabled?: boolean | undefined },
  now: number,
): Promise<UserRow> {
  if (userId === admin.userId && (change.role === "user" || change.disabled === true)) {
    throw errors.conflict("cannot_change_self", "An admin cannot demote or disable their own account");
  }
  if (!(await findUserById(db, userId))) throw errors.notFound("User");
  const [rows] = await db.batch([
    updateRoleOrDisabled(db, userId, change, now),
    revokeAllOfDisabled(db, userId, now),
  ]);
  const [row] = rows;
  if (!row) throw errors.conflict("last_admin", "The shop must keep at least one enabled admin");
  return row;
}
