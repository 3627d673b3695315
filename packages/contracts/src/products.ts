import { z } from "@hono/zod-openapi";
import { MEDIA_URL_PATTERN } from "./media";
import { MAX_ITEM_QUANTITY } from "./orders";
import { PageQuerySchema, PaginationSchema } from "./pagination";

export const ProductSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    price: z.number().int().openapi({ description: "Minor units (cents)" }),
    currency: z.string().length(3),
    category: z.string(),
    stock: z.number().int(),
    images: z.array(z.string()).openapi({
      description:
        "The product's pictures, first shown first: same-origin `/media/<sha256>.<jpg|png|webp>` URLs of the " +
        "originals, each with WebP variants at `/media/<sha256>-320.webp` and `/media/<sha256>-960.webp`",
    }),
    tags: z.array(z.string()),
    isActive: z.boolean(),
    maxPerOrder: z.number().int().optional().openapi({
      description:
        "At most this many units in one order or cart line (a limited item); absent when unlimited",
    }),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Product");
export type Product = z.infer<typeof ProductSchema>;

/** Upper bounds that keep a product row (and its FTS entry) small and prices within safe integers. */
export const ProductLimits = {
  name: 200,
  description: 5000,
  category: 100,
  tags: 20,
  tag: 50,
  images: 10,
  price: 1_000_000_000,
  stock: 1_000_000_000,
  search: 200,
} as const;

const fields = {
  name: z.string().trim().min(1).max(ProductLimits.name),
  description: z.string().trim().max(ProductLimits.description),
  price: z
    .number()
    .int()
    .min(0)
    .max(ProductLimits.price)
    .openapi({ description: "Minor units (cents)", example: 1999 }),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "Must be a 3-letter upper-case ISO 4217 code")
    .openapi({ example: "USD" }),
  category: z.string().trim().min(1).max(ProductLimits.category),
  stock: z.number().int().min(0).max(ProductLimits.stock),
  // Pictures are added by upload (POST /api/products/{id}/images); a write may only reorder or drop them.
  images: z
    .array(z.string().regex(MEDIA_URL_PATTERN, "Must be a /media/… URL of one of this product's pictures"))
    .max(ProductLimits.images)
    .refine((urls) => new Set(urls).size === urls.length, { message: "A picture may appear only once" })
    .openapi({
      description:
        "This product's own picture URLs (`product.images`) in the order to show them; leaving one out removes " +
        "it. New pictures are uploaded with `POST /api/products/{id}/images`, so a new product has none.",
    }),
  tags: z.array(z.string().trim().min(1).max(ProductLimits.tag)).max(ProductLimits.tags),
  isActive: z.boolean(),
  maxPerOrder: z
    .number()
    .int()
    .min(1)
    .max(MAX_ITEM_QUANTITY)
    .nullable()
    .openapi({ description: "Units one order may take (null: no limit beyond the order's own)", example: 2 }),
};

/** Body of `POST /api/products` and `PUT /api/products/:id` (a full replace: omitted optional fields take their defaults). */
export const ProductInputSchema = z
  .object({
    name: fields.name,
    description: fields.description.default(""),
    price: fields.price,
    currency: fields.currency.default("USD"),
    category: fields.category,
    stock: fields.stock,
    images: fields.images.default([]),
    tags: fields.tags.default([]),
    isActive: fields.isActive.default(true),
    maxPerOrder: fields.maxPerOrder.default(null),
  })
  .openapi("ProductInput");
export type ProductInput = z.infer<typeof ProductInputSchema>;

/** Body of `PATCH /api/products/:id`: any non-empty subset of the fields. */
export const ProductPatchSchema = z
  .object(fields)
  .partial()
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: "At least one field is required",
  })
  .openapi("ProductPatch");
export type ProductPatch = z.infer<typeof ProductPatchSchema>;

export const ProductSortFields = ["createdAt", "price", "name"] as const;
export type ProductSortField = (typeof ProductSortFields)[number];

/** `includeInactive=true`: deactivated products too, for an admin (ignored for everyone else). */
export function includeInactive() {
  return z
    .enum(["true", "false"])
    .optional()
    .transform((value) => value === "true")
    .openapi({
      type: "string",
      enum: ["true", "false"],
      description: "`true`: deactivated products too (admins only; ignored for everyone else). Never cached.",
    });
}

const priceBound = z.coerce.number().int().min(0).max(ProductLimits.price);

/** Query of `GET /api/products`. Without `sortBy`, a search is ordered by relevance, anything else by `createdAt`. */
export const ProductListQuerySchema = PageQuerySchema.extend({
  category: z.string().trim().min(1).max(ProductLimits.category).optional(),
  minPrice: priceBound.optional().openapi({ description: "Minor units, inclusive" }),
  maxPrice: priceBound.optional().openapi({ description: "Minor units, inclusive" }),
  search: z.string().max(ProductLimits.search).optional(),
  sortBy: z.enum(ProductSortFields).optional(),
  sortOrder: z.enum(["asc", "desc"]).default("desc"),
  includeInactive: includeInactive(),
});
export type ProductListQuery = z.infer<typeof ProductListQuerySchema>;

export const ProductListSchema = z
  .object({ products: z.array(ProductSchema), pagination: PaginationSchema })
  .openapi("ProductList");
export type ProductList = z.infer<typeof ProductListSchema>;

export const ProductEnvelopeSchema = z.object({ product: ProductSchema }).openapi("ProductEnvelope");
export type ProductEnvelope = z.infer<typeof ProductEnvelopeSchema>;

export const CategorySchema = z.object({ name: z.string(), count: z.number().int() }).openapi("Category");
export const CategoryListSchema = z.object({ categories: z.array(CategorySchema) }).openapi("CategoryList");
export type CategoryList = z.infer<typeof CategoryListSchema>;
