import type { CheckoutStart } from "@edge-shop/contracts";
import { type CartState, canUse } from "./cart-state";

/** A checkout whose caller has not finished it after this long is presumed dead (orders then checks its order). */
export const CHECKOUT_LEASE_MS = 30_000;
/** How long a checkout of an unchanged cart answers the order the cart last made (then: a new checkout). */
export const LAST_ORDER_MS = 10 * 60_000;

/** Whether a checkout of the cart is in progress (within its lease). */
export function checkoutRunning(state: CartState, now: number): boolean {
  return state.checkout !== null && now - state.checkout.startedAt < CHECKOUT_LEASE_MS;
}

/**
 * What a checkout of the cart does now: answer at once (not found, busy for another user's checkout of a guest
 * cart, stale, the order the cart last made, empty), `wait` for the one in progress, or `start` a new one (and
 * lead it). `replacing`: the stale checkout the caller found no order for.
 */
export function nextCheckout(
  state: CartState | null,
  userId: string,
  replacing: string | undefined,
  now: number,
): Exclude<CheckoutStart, { kind: "lead" }> | { kind: "wait"; orderId: string } | { kind: "start" } {
  if (!state || !canUse(state, userId)) return { kind: "not_found" };
  const pending = state.checkout;
  if (pending && pending.orderId !== replacing) {
    if (pending.userId !== userId) return { kind: "busy" };
    if (now - pending.startedAt >= CHECKOUT_LEASE_MS) return { kind: "stale", orderId: pending.orderId };
    return { kind: "wait", orderId: pending.orderId };
  }
  const last = state.lastOrder;
  if (last?.userId === userId && now - last.at < LAST_ORDER_MS)
    return { kind: "created", orderId: last.orderId };
  return state.lines.length === 0 ? { kind: "empty" } : { kind: "start" };
}
