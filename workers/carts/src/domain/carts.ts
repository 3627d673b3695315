import type { Cart, Identity } from "@edge-shop/contracts";
import { AppError } from "@edge-shop/worker-kit";
import type { BatchItem } from "drizzle-orm/batch";
import { database } from "../db/client";
import { deleteUserCart, findUserCart, userCartId } from "../db/queries/user-carts";
import { cartStub, isCartId, newCartId } from "./cart-ids";
import type { Outcome } from "./cart-state";

/** The cart of an outcome, or its problem thrown as the API's error. */
export function cartOf(outcome: Outcome): Cart {
  if (outcome.ok) return outcome.cart;
  const { status, code, detail } = outcome.problem;
  throw new AppError(status, code, detail);
}

const notFound = () => new AppError(404, "not_found", "Cart not found");

/** The object of a cart id from a path: an id no cart can have is a 404 without waking any object. */
function cartAt(env: Env, cartId: string) {
  if (!isCartId(cartId)) throw notFound();
  return cartStub(env, cartId);
}

/** The user's current cart, created empty on first use (one D1 read finds it; the object holds it). */
export async function currentCart(env: Env, userId: string): Promise<Cart> {
  const cartId = await userCartId(database(env.DB), userId);
  return cartOf(await cartStub(env, cartId).open(cartId, userId));
}

/** `POST /api/carts`: with a caller, that user's cart; without, a new guest cart known only by its id. */
export async function createCart(env: Env, caller: Identity | undefined): Promise<Cart> {
  if (caller) return currentCart(env, caller.userId);
  const cartId = newCartId();
  return cartOf(await cartStub(env, cartId).open(cartId, null));
}

/** A cart for whoever may see it (a user's cart is a 404 to everyone else). */
export async function readCart(env: Env, cartId: string, userId: string | null): Promise<Cart> {
  return cartOf(await cartAt(env, cartId).view(userId));
}

export async function addItem(
  env: Env,
  cartId: string,
  userId: string | null,
  item: { productId: string; quantity: number },
) {
  return cartOf(await cartAt(env, cartId).add(userId, item.productId, item.quantity));
}

export async function setItem(
  env: Env,
  cartId: string,
  userId: string | null,
  productId: string,
  quantity: number,
) {
  return cartOf(await cartAt(env, cartId).setQuantity(userId, productId, quantity));
}

export async function removeItem(env: Env, cartId: string, userId: string | null, productId: string) {
  return cartOf(await cartAt(env, cartId).remove(userId, productId));
}

/**
 * `POST /api/carts/:id/claim`: the guest cart's lines move into the caller's cart, once however often it is
 * called (the guest cart's object serialises the claim; see `Cart.claimInto`). Answers the caller's cart.
 */
export async function claimCart(env: Env, guestCartId: string, userId: string): Promise<Cart> {
  const guest = cartAt(env, guestCartId);
  const mine = await userCartId(database(env.DB), userId);
  if (mine === guestCartId) return currentCart(env, userId);
  const claimed = await guest.claimInto(userId, mine);
  switch (claimed.kind) {
    case "not_found":
      throw notFound();
    case "busy":
      throw new AppError(
        409,
        "checkout_in_progress",
        "This cart is being checked out; try again in a moment",
        {
          headers: { "retry-after": "1" },
        },
      );
    case "moved":
      if (claimed.mine) return cartOf(claimed.outcome);
      // Another user's pending claim was completed: this caller's own cart is unchanged.
      return currentCart(env, userId);
    default:
      return currentCart(env, userId);
  }
}

/**
 * Account deletion: the user's cart (its object's storage and alarm), then the record of which cart it was, in one
 * D1 batch with `alongside` (the consumer's inbox row and event bodies). The object goes first: should the batch
 * fail, the redelivered event finds the record again and forgets the (already empty) object once more.
 */
export async function forgetUser(
  env: Env,
  userId: string,
  alongside: BatchItem<"sqlite">[] = [],
): Promise<void> {
  const db = database(env.DB);
  const cartId = await findUserCart(db, userId);
  if (cartId) await cartStub(env, cartId).forget();
  const [first, ...rest] = [...(cartId ? [deleteUserCart(db, userId, cartId)] : []), ...alongside];
  if (first) await db.batch([first, ...rest]);
}

/** Data export: the user's cart as the API shows it (today's prices), or null when the user has none. */
export async function userCart(env: Env, userId: string): Promise<Cart | null> {
  const cartId = await findUserCart(database(env.DB), userId);
  if (!cartId) return null;
  const outcome = await cartStub(env, cartId).view(userId);
  if (!outcome.ok && outcome.problem.status === 404) return null;
  return cartOf(outcome);
}
