import { z } from "@hono/zod-openapi";
import { MAX_ITEM_QUANTITY, MAX_ORDER_ITEMS } from "./orders";

/** A cart holds at most as many lines, and units per line, as one order may: it is checked out as one order. */
export const CartLimits = { lines: MAX_ORDER_ITEMS, quantity: MAX_ITEM_QUANTITY } as const;

/** Guest carts are deleted this long after their last change, users' carts after `userTtlDays`. */
export const CartExpiry = { guestTtlDays: 7, userTtlDays: 60 } as const;

/** A cart id: 128 random bits as 32 lower-case hex digits (unguessable: a guest cart is reachable by its id alone). */
export const CART_ID_PATTERN = /^[0-9a-f]{32}$/;

export const CartLineSchema = z
  .object({
    productId: z.string(),
    name: z.string(),
    unitPrice: z
      .number()
      .int()
      .openapi({ description: "The current catalog price, in minor units (0 when the product is gone)" }),
    quantity: z.number().int(),
    lineTotal: z.number().int(),
    available: z.boolean().openapi({
      description:
        "False when the product is no longer sold, or its stock (or its per-order limit) no longer covers the line",
    }),
  })
  .openapi("CartLine");
export type CartLine = z.infer<typeof CartLineSchema>;

export const CartSchema = z
  .object({
    id: z.string(),
    userId: z.string().nullable().openapi({ description: "The owner; null for a guest cart" }),
    items: z.array(CartLineSchema),
    subtotal: z.number().int().openapi({ description: "Σ lineTotal, minor units of `currency`" }),
    currency: z.string().length(3),
    itemCount: z.number().int().openapi({ description: "Σ quantity" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
    expiresAt: z.string().openapi({
      format: "date-time",
      description: "When the cart is deleted unless it changes again (7 days for a guest, 60 for a user)",
    }),
  })
  .openapi("Cart");
export type Cart = z.infer<typeof CartSchema>;

export const CartResponseSchema = z.object({ cart: CartSchema }).openapi("CartResponse");

const productId = z.string().min(1).max(100);

/** `POST /api/carts/:id/items`: adds to the line when the product is already in the cart. */
export const AddCartItemSchema = z
  .object({ productId, quantity: z.number().int().min(1).max(CartLimits.quantity) })
  .openapi("AddCartItem", { example: { productId: "prod_1", quantity: 1 } });
export type AddCartItem = z.infer<typeof AddCartItemSchema>;

/** `PATCH /api/carts/:id/items/:productId`: the line's new quantity; 0 removes it. */
export const SetCartItemSchema = z
  .object({ quantity: z.number().int().min(0).max(CartLimits.quantity) })
  .openapi("SetCartItem", { example: { quantity: 2 } });
export type SetCartItem = z.infer<typeof SetCartItemSchema>;
