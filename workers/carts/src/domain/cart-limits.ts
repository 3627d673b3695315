import { MAX_ITEM_QUANTITY, MAX_ORDER_ITEMS } from "@edge-shop/contracts";

/** A cart holds at most as many lines, and units per line, as one order may: it is checked out as one order. */
export const CartLimits = { lines: MAX_ORDER_ITEMS, quantity: MAX_ITEM_QUANTITY } as const;

/** Guest carts are deleted this long after their last change, users' carts after `userTtlDays`. */
export const CartExpiry = { guestTtlDays: 7, userTtlDays: 60 } as const;
