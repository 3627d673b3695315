import { z } from "@hono/zod-openapi";

const CartLineSchema = z
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
