import type { Product, ProductInput, ProductPatch } from "@edge-shop/contracts";
import { and, eq } from "drizzle-orm";
import type { Db } from "../client";
import { toProduct } from "../product-row";
import { products } from "../schema";
import { bumpCatalogVersion } from "./catalog-version";

/** The result of a catalog write: the product (undefined when it does not exist) and the new catalog version. */
export interface WriteResult {
  product: Product | undefined;
  version: number | undefined;
}

type StoredFields = Omit<typeof products.$inferInsert, "seq" | "id" | "createdAt" | "updatedAt">;

function stored(input: ProductPatch): Partial<StoredFields> {
  const { images, tags, ...rest } = input;
  return {
    ...rest,
    ...(images !== undefined ? { images: JSON.stringify(images) } : {}),
    ...(tags !== undefined ? { tags: JSON.stringify(tags) } : {}),
  };
}

/** An active product, or undefined when it is missing or inactive. */
export async function findActiveProduct(db: Db, id: string): Promise<Product | undefined> {
  const row = await db
    .select()
    .from(products)
    .where(and(eq(products.id, id), eq(products.isActive, true)))
    .get();
  return row && toProduct(row);
}

/** Inserts a product and bumps the catalog version, atomically. */
export async function createProduct(db: Db, input: ProductInput, now: Date): Promise<WriteResult> {
  const row = {
    ...input,
    id: crypto.randomUUID(),
    images: JSON.stringify(input.images),
    tags: JSON.stringify(input.tags),
    createdAt: now,
    updatedAt: now,
  };
  const [inserted, bumped] = await db.batch([
    db.insert(products).values(row).returning(),
    bumpCatalogVersion(db),
  ]);
  return { product: inserted[0] && toProduct(inserted[0]), version: bumped[0]?.version };
}

/**
 * Sets the given fields of a product (active or not: an admin may re-activate one) and bumps the catalog
 * version, atomically. A full replace passes every field; a patch only some.
 */
export async function updateProduct(
  db: Db,
  id: string,
  input: ProductPatch,
  now: Date,
): Promise<WriteResult> {
  const [updated, bumped] = await db.batch([
    db
      .update(products)
      .set({ ...stored(input), updatedAt: now })
      .where(eq(products.id, id))
      .returning(),
    bumpCatalogVersion(db),
  ]);
  return { product: updated[0] && toProduct(updated[0]), version: bumped[0]?.version };
}

/** Soft delete: the product stays (orders refer to it) but is no longer listed or sold. */
export async function deactivateProduct(db: Db, id: string, now: Date): Promise<WriteResult> {
  return updateProduct(db, id, { isActive: false }, now);
}
