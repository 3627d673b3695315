import { z } from "@hono/zod-openapi";

export const OrderStatuses = ["pending", "paid", "shipped", "delivered", "cancelled", "refunded"] as const;
export type OrderStatus = (typeof OrderStatuses)[number];

export const OrderLineSchema = z
  .object({
    productId: z.string(),
    name: z.string(),
    unitPrice: z.number().int(),
    quantity: z.number().int(),
    lineTotal: z.number().int(),
  })
  .openapi("OrderLine");

export const OrderSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    status: z.enum(OrderStatuses),
    items: z.array(OrderLineSchema),
    total: z.number().int().openapi({ description: "Minor units (cents)" }),
    currency: z.string().length(3),
    shippingAddress: z.record(z.string(), z.unknown()).or(z.string()),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Order");
export type Order = z.infer<typeof OrderSchema>;
