import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { catalogMeta } from "../schema";

const ROW = 1;

/** A product's version after a write: the catalog version at which its row last changed. */
export interface ProductVersion {
  id: string;
  version: number;
}

/**
 * What a committed catalog write changed: the new list version (when it bumped it: lists, searches and categories
 * show something it changed) and its products' new versions.
 */
export interface CatalogChange {
  listVersion: number | undefined;
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
 * The statement that bumps the catalog version (only `when` the condition holds, if given), and the list version
 * too when `listWhen` also holds (by default it does); callers put it in the same batch as their write, BEFORE
 * the write, so neither version can miss a committed change and `listWhen` sees the rows as they were.
 */
export function bumpCatalogVersion(db: Db, when?: SQL, listWhen: SQL = sql`1`) {
  const listChanged = sql<number>`(CASE WHEN ${listWhen} THEN 1 ELSE 0 END)`;
  return db
    .update(catalogMeta)
    .set({
      version: sql`${catalogMeta.version} + 1`,
      listVersion: sql`${catalogMeta.listVersion} + ${listChanged}`,
    })
    .where(and(eq(catalogMeta.id, ROW), when))
    .returning({ version: catalogMeta.version, listVersion: catalogMeta.listVersion, listChanged });
}

/** The list version a bump's returned row says it moved to, or undefined when it did not move it. */
export function bumpedListVersion(
  bumped: { listVersion: number; listChanged: number }[],
): number | undefined {
  const [row] = bumped;
  return row && row.listChanged === 1 ? row.listVersion : undefined;
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

/** The query of the list version (a row `{ version }`), alone or in a batch. */
export function listVersionQuery(db: Db) {
  return db.select({ version: catalogMeta.listVersion }).from(catalogMeta).where(eq(catalogMeta.id, ROW));
}

/** The current list version (1 if the row is somehow missing). */
export async function readListVersion(db: Db): Promise<number> {
  const row = await listVersionQuery(db).get();
  return row?.version ?? 1;
}

/** The list version's query as SQL, for a batch beside a prepared list statement (one snapshot with it). */
export const LIST_VERSION_SQL = `SELECT list_version FROM catalog_meta WHERE id = ${ROW}`;

/** The list version a `LIST_VERSION_SQL` answered (1 if the row is somehow missing). */
export function listVersionOf(rows: { list_version?: unknown }[]): number {
  const version = rows[0]?.list_version;
  return typeof version === "number" ? version : 1;
}
