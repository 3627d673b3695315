import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { catalogMeta } from "../schema";

const ROW = 1;

/** A product's version after a write: the catalog version at which its row last changed. */
export interface ProductVersion {
  id: string;
  version: number;
}

/** What a committed catalog write changed: the new catalog version (if any) and its products' new versions. */
export interface CatalogChange {
  version: number | undefined;
  products: ProductVersion[];
}

/**
 * The catalog version as the statement sees it: a product write sets `products.version` to it, placed in its
 * batch AFTER `bumpCatalogVersion`, so a product's version is the catalog version of its latest change.
 */
export function catalogVersionNow(): SQL<number> {
  return sql<number>`(select ${catalogMeta.version} from ${catalogMeta} where ${catalogMeta.id} = ${ROW})`;
}

/**
 * The statement that bumps the catalog version (only `when` the condition holds, if given); callers put it
 * in the same batch as their write, so the version can never miss a committed change.
 */
export function bumpCatalogVersion(db: Db, when?: SQL) {
  return db
    .update(catalogMeta)
    .set({ version: sql`${catalogMeta.version} + 1` })
    .where(and(eq(catalogMeta.id, ROW), when))
    .returning({ version: catalogMeta.version });
}

/** The current catalog version (1 if the row is somehow missing). */
export async function readCatalogVersion(db: Db): Promise<number> {
  const row = await db
    .select({ version: catalogMeta.version })
    .from(catalogMeta)
    .where(eq(catalogMeta.id, ROW))
    .get();
  return row?.version ?? 1;
}
