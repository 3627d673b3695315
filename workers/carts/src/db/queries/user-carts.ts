import { and, eq } from "drizzle-orm";
import { newCartId } from "../../domain/cart-ids";
import type { Db } from "../client";
import { userCarts } from "../schema";

/** The id of the user's current cart, if the user has one. */
export async function findUserCart(db: Db, userId: string): Promise<string | undefined> {
  const row = await db
    .select({ cartId: userCarts.cartId })
    .from(userCarts)
    .where(eq(userCarts.userId, userId))
    .get();
  return row?.cartId;
}

/**
 * The id of the user's current cart, chosen now if the user has none: one read, and on first use one batch that
 * inserts a new id unless a concurrent first use inserted one first (then its id is the answer for both).
 */
export async function userCartId(db: Db, userId: string): Promise<string> {
  const found = await findUserCart(db, userId);
  if (found) return found;
  const [, rows] = await db.batch([
    db.insert(userCarts).values({ userId, cartId: newCartId(), createdAt: Date.now() }).onConflictDoNothing(),
    db.select({ cartId: userCarts.cartId }).from(userCarts).where(eq(userCarts.userId, userId)),
  ]);
  const [row] = rows;
  if (!row) throw new Error(`no cart row for user ${userId} after inserting one`);
  return row.cartId;
}

/**
 * The statement that forgets which cart is the user's (only `cartId`, when given: an expired cart must not unlink
 * its successor).
 */
export function deleteUserCart(db: Db, userId: string, cartId?: string) {
  return db
    .delete(userCarts)
    .where(and(eq(userCarts.userId, userId), cartId === undefined ? undefined : eq(userCarts.cartId, cartId)))
    .returning({ cartId: userCarts.cartId });
}

/** Forgets which cart is the user's (see `deleteUserCart`); whether there was such a record. */
export async function forgetUserCart(db: Db, userId: string, cartId?: string): Promise<boolean> {
  return (await deleteUserCart(db, userId, cartId)).length > 0;
}
