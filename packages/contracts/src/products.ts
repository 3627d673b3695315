import { z } from "@hono/zod-openapi";

export const ProductSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    price: z.number().int().openapi({ description: "Minor units (cents)" }),
    currency: z.string().length(3),
    category: z.string(),
    stock: z.number().int(),
    images: z.array(z.string()),
    tags: z.array(z.string()),
    isActive: z.boolean(),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Product");
export type Product = z.infer<typeof ProductSchema>;
