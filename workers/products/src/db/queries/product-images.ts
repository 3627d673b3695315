import { ProductLimits } from "@edge-shop/contracts";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { media, products } from "../schema";
import { bumpCatalogVersion, catalogVersionNow } from "./catalog-version";
import { type WriteResult, writeResult } from "./products";

// Picture writes change a product like any other write: the catalog version is bumped first in the batch and the
// row takes the new version, so cached lists and the product's page retire (see products.ts). Each is one
// statement on the row's JSON array, so concurrent writes to one product never lose each other's pictures.

const shows = (url: string) => sql`EXISTS (SELECT 1 FROM json_each(${products.images}) WHERE value = ${url})`;

/**
 * Appends the picture `url` (stored as `hash`) to a product's pictures, unless the product is missing, already
 * shows it or has the maximum, or the sweep has started deleting the picture; also notes that the picture is
 * referenced again. Answers no product when nothing was appended.
 */
export async function appendImage(
  db: Db,
  id: string,
  picture: { hash: string; url: string },
  now: Date,
): Promise<WriteResult> {
  const appendable = and(
    eq(products.id, id),
    sql`json_array_length(${products.images}) < ${ProductLimits.images}`,
    sql`NOT ${shows(picture.url)}`,
    sql`EXISTS (SELECT 1 FROM ${media} WHERE ${media.hash} = ${picture.hash}
      AND ${media.stored} = 1 AND ${media.deleting} = 0)`,
  );
  const [bumped, updated] = await db.batch([
    bumpCatalogVersion(db, sql`EXISTS (SELECT 1 FROM ${products} WHERE ${appendable})`),
    db
      .update(products)
      .set({
        images: sql`json_insert(${products.images}, '$[#]', ${picture.url})`,
        updatedAt: now,
        version: catalogVersionNow(),
      })
      .where(appendable)
      .returning(),
    db
      .update(media)
      .set({ releasedAt: null })
      .where(
        and(
          eq(media.hash, picture.hash),
          sql`EXISTS (SELECT 1 FROM ${products} WHERE ${products.id} = ${id} AND ${shows(picture.url)})`,
        ),
      ),
  ]);
  return writeResult(updated, bumped);
}

/**
 * Removes the picture at `index` (from 0) of a product's pictures. Answers no product when the product is missing
 * or has no picture there. Its objects stay until the sweep finds no product showing it any more.
 */
export async function removeImage(db: Db, id: string, index: number, now: Date): Promise<WriteResult> {
  const removable = and(eq(products.id, id), sql`json_array_length(${products.images}) > ${index}`);
  const [bumped, updated] = await db.batch([
    bumpCatalogVersion(db, sql`EXISTS (SELECT 1 FROM ${products} WHERE ${removable})`),
    db
      .update(products)
      .set({
        // The path is built here: D1 binds a JS number as a REAL, which a JSON path does not take.
        images: sql`json_remove(${products.images}, ${`$[${index}]`})`,
        updatedAt: now,
        version: catalogVersionNow(),
      })
      .where(removable)
      .returning(),
  ]);
  return writeResult(updated, bumped);
}
