import type { Product } from "@edge-shop/contracts";
import type { products } from "./schema";

/** A product's stored columns (the price bands are computed from `price`, for the list indexes only). */
export type ProductRow = Omit<typeof products.$inferSelect, "priceDigits" | "priceLead1" | "priceLead2">;

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

/**
 * A product row as D1 answers its stored columns (`productColumns` in queries/list-sql.ts, or a whole row): column
 * names, integers for booleans and timestamps.
 */
export function fromColumns(row: Record<string, unknown>): ProductRow {
  return {
    seq: Number(row.seq),
    id: String(row.id),
    name: String(row.name),
    description: String(row.description),
    price: Number(row.price),
    currency: String(row.currency),
    category: String(row.category),
    stock: Number(row.stock),
    images: String(row.images),
    tags: String(row.tags),
    isActive: Number(row.is_active) === 1,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    version: Number(row.version),
    maxPerOrder: typeof row.max_per_order === "number" ? row.max_per_order : null,
  };
}
