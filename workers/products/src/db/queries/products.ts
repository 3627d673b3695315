import type { Product, ProductInput, ProductPatch } from "@edge-shop/contracts";
import { errors } from "@edge-shop/worker-kit";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { type ProductRow, toProduct } from "../product-row";
import { products } from "../schema";
import {
  bumpCatalogVersion,
  bumpedListVersion,
  type CatalogChange,
  catalogVersionNow,
} from "./catalog-version";

/**
 * The result of a catalog write: the product (undefined when it does not exist), the new list version and the
 * product's new version (none when it does not exist).
 */
export interface WriteResult extends CatalogChange {
  product: Product | undefined;
}

type StoredFields = Omit<typeof products.$inferInsert, "seq" | "id" | "createdAt" | "updatedAt" | "version">;

/** The result of a write's batch: the row it returned (none when nothing matched) and the bumped version. */
export function writeResult(
  rows: ProductRow[],
  bumped: { listVersion: number; listChanged: number }[],
): WriteResult {
  const [row] = rows;
  return {
    product: row && toProduct(row),
    listVersion: bumpedListVersion(bumped),
    products: row ? [{ id: row.id, version: row.version }] : [],
  };
}

function stored(input: ProductPatch): Partial<StoredFields> {
  const { images, tags, ...rest } = input;
  return {
    ...rest,
    ...(images !== undefined ? { images: JSON.stringify(images) } : {}),
    ...(tags !== undefined ? { tags: JSON.stringify(tags) } : {}),
  };
}

/**
 * An active product (any product with `includeInactive`) and its version, read together from one row (so the
 * data is exactly that version's), or undefined when there is none.
 */
export async function findActiveProduct(
  db: Db,
  id: string,
  options: { includeInactive?: boolean } = {},
): Promise<{ product: Product; version: number } | undefined> {
  const row = await db
    .select()
    .from(products)
    .where(
      options.includeInactive ? eq(products.id, id) : and(eq(products.id, id), eq(products.isActive, true)),
    )
    .get();
  return row && { product: toProduct(row), version: row.version };
}

// Every product write below runs `bumpCatalogVersion` FIRST in its batch, then writes the row with
// `version = catalogVersionNow()`: the product's version is the catalog version its change committed under.

/** Any product, active or not, or undefined. */
export async function findProduct(db: Db, id: string): Promise<Product | undefined> {
  const row = await db.select().from(products).where(eq(products.id, id)).get();
  return row && toProduct(row);
}

/** A write's guard for `images`: every URL given is already one of the product's pictures. */
function onlyOwnImages(images: string[]) {
  return sql`NOT EXISTS (SELECT 1 FROM json_each(${JSON.stringify(images)}) AS given
    WHERE given.value NOT IN (SELECT value FROM json_each(${products.images})))`;
}

// Pictures come only from uploads: a write may reorder or drop a product's pictures, never name others.
function foreignImages(images: string[], own: string[]) {
  const message = "Not a picture of this product: upload it with POST /api/products/{id}/images";
  return errors.validation(
    images.flatMap((url, i) => (own.includes(url) ? [] : [{ path: `images.${i}`, message }])),
  );
}

/** Inserts a product and bumps the catalog version, atomically. */
export async function createProduct(db: Db, input: ProductInput, now: Date): Promise<WriteResult> {
  if (input.images.length > 0) throw foreignImages(input.images, []);
  const row = {
    ...input,
    id: crypto.randomUUID(),
    images: JSON.stringify(input.images),
    tags: JSON.stringify(input.tags),
    createdAt: now,
    updatedAt: now,
  };
  const [bumped, inserted] = await db.batch([
    bumpCatalogVersion(db),
    db
      .insert(products)
      .values({ ...row, version: catalogVersionNow() })
      .returning(),
  ]);
  return writeResult(inserted, bumped);
}

/**
 * Sets the given fields of a product (active or not: an admin may re-activate one) and bumps the catalog
 * version, atomically. A full replace passes every field; a patch only some. `images` may only reorder or drop
 * the product's own pictures (a 400 otherwise, checked in the same statement as the write).
 */
export async function updateProduct(
  db: Db,
  id: string,
  input: ProductPatch,
  now: Date,
  onlyAtVersions?: number[],
): Promise<WriteResult> {
  // With `onlyAtVersions` (If-Match) the row changes only if its version is one of them; the bump too.
  const target = onlyAtVersions
    ? and(eq(products.id, id), inArray(products.version, onlyAtVersions))
    : eq(products.id, id);
  const [bumped, updated] = await db.batch([
    bumpCatalogVersion(
      db,
      onlyAtVersions ? sql`exists (select 1 from ${products} where ${target})` : undefined,
    ),
    db
      .update(products)
      .set({ ...stored(input), updatedAt: now, version: catalogVersionNow() })
      .where(and(target, input.images && onlyOwnImages(input.images)))
      .returning(),
  ]);
  const result = writeResult(updated, bumped);
  if (!result.product && input.images) {
    // Nothing matched: foreign pictures are a 400; otherwise it was the version (the caller's 412) or no product.
    const current = await findProduct(db, id);
    if (current && input.images.some((url) => !current.images.includes(url))) {
      throw foreignImages(input.images, current.images);
    }
  }
  return result;
}

/** A product's current version, active or not, or undefined when there is no such product. */
export async function productVersion(db: Db, id: string): Promise<number | undefined> {
  const row = await db.select({ version: products.version }).from(products).where(eq(products.id, id)).get();
  return row?.version;
}

/** Soft delete: the product stays (orders refer to it) but is no longer listed or sold. */
export async function deactivateProduct(db: Db, id: string, now: Date): Promise<WriteResult> {
  return updateProduct(db, id, { isActive: false }, now);
}
