/** A cart id: 128 random bits as 32 lower-case hex digits (unguessable: a guest cart is reachable by its id alone). */
const CART_ID_PATTERN = /^[0-9a-f]{32}$/;

/** A new cart id: 128 random bits, 32 hex digits (a guest cart's id is all it takes to reach it). */
export function newCartId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** Whether a string could be a cart id: anything else is a 404 without waking an object. */
export const isCartId = (id: string): boolean => CART_ID_PATTERN.test(id);

/** The cart's Durable Object: one per cart id. */
export function cartStub(env: Env, cartId: string) {
  return env.CART.get(env.CART.idFromName(cartId));
}
