import type { Product } from "@edge-shop/contracts";
import type { products } from "./schema";

export type ProductRow = typeof products.$inferSelect;

// images and tags are written only by this service as JSON arrays of strings; read them defensively anyway.
function stringArray(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}

/** A stored row as the public product shape. */
export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    price: row.price,
    currency: row.currency,
    category: row.category,
    stock: row.stock,
    images: stringArray(row.images),
    tags: stringArray(row.tags),
    isActive: row.isActive,
    ...(row.maxPerOrder === null ? {} : { maxPerOrder: row.maxPerOrder }),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
