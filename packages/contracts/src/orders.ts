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

/** A shipping address as the client sends it: a free-text string, or an object of short string fields. */
export const ShippingAddressSchema = z
  .union([
    z.string().trim().min(1).max(500),
    z
      .record(z.string().min(1).max(50), z.string().max(200))
      .refine((o) => Object.keys(o).length >= 1 && Object.keys(o).length <= 20, "1 to 20 fields"),
  ])
  .openapi("ShippingAddress", {
    example: { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
  });
export type ShippingAddress = z.infer<typeof ShippingAddressSchema>;

export const OrderSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    status: z.enum(OrderStatuses),
    items: z.array(OrderLineSchema),
    subtotal: z.number().int().min(0).openapi({ description: "Σ line totals, minor units" }),
    discountTotal: z
      .number()
      .int()
      .min(0)
      .openapi({ description: "The promotion code's discount (never more than the subtotal)" }),
    shippingTotal: z.number().int().min(0).openapi({ description: "The chosen shipping option's price" }),
    taxTotal: z.number().int().min(0).openapi({
      description:
        "The destination country's rate on subtotal − discount + shipping, rounded half-up once per order",
    }),
    total: z.number().int().min(0).openapi({
      description: "What is charged: subtotal − discountTotal + shippingTotal + taxTotal (minor units)",
    }),
    currency: z.string().length(3),
    promotionCode: z.string().nullable().openapi({ description: "The redeemed code (upper case), or null" }),
    shippingOption: z
      .object({ id: z.string(), name: z.string(), amount: z.number().int().min(0) })
      .openapi("OrderShippingOption"),
    shippingAddress: ShippingAddressSchema,
    refundedTotal: z.number().int().openapi({
      description: "Minor units refunded so far; the order is `refunded` once it reaches what was paid",
    }),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Order");
export type Order = z.infer<typeof OrderSchema>;

export const MAX_ORDER_ITEMS = 50;
export const MAX_ITEM_QUANTITY = 100;

const OrderItemsSchema = z
  .array(
    z.object({
      productId: z.string().min(1).max(100),
      quantity: z.number().int().min(1).max(MAX_ITEM_QUANTITY),
    }),
  )
  .min(1)
  .max(MAX_ORDER_ITEMS)
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.productId)) {
        ctx.addIssue({
          code: "custom",
          path: [i, "productId"],
          message: "Each product may appear only once",
        });
      }
      seen.add(item.productId);
    });
  });

/**
 * `POST /api/orders`: the lines of a server cart (`cartId`) or product ids and quantities (`items`), one of the
 * two; names and prices come from products (extra fields are ignored).
 */
export const CreateOrderSchema = z
  .object({
    items: OrderItemsSchema.optional(),
    cartId: z.string().min(1).max(100).optional().openapi({
      description: "Order exactly this cart's lines at the current prices; the cart is then emptied",
    }),
    shippingAddress: ShippingAddressSchema,
    shippingOptionId: z.string().min(1).max(50).optional().openapi({
      description:
        "A shipping option for the address's country (GET /api/shipping-options); default `standard`",
    }),
    promotionCode: z.string().trim().min(1).max(50).optional().openapi({
      description: "A promotion code (case-insensitive)",
    }),
  })
  .superRefine((body, ctx) => {
    if ((body.items === undefined) === (body.cartId === undefined)) {
      ctx.addIssue({ code: "custom", path: ["items"], message: "Send either items or cartId (exactly one)" });
    }
  })
  .openapi("CreateOrder", {
    example: { items: [{ productId: "prod_1", quantity: 2 }], shippingAddress: "1 Main St, Springfield" },
  });
export type CreateOrder = z.infer<typeof CreateOrderSchema>;

/** `PATCH /api/orders/:id/status` (admin): the fulfilment steps. */
export const UpdateOrderStatusSchema = z
  .object({ status: z.enum(["shipped", "delivered"]) })
  .openapi("UpdateOrderStatus");
