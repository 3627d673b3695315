import type { ProductListQuery } from "@edge-shop/contracts";
import { and, asc, count, desc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { FtsQuery } from "../../search/fts-query";
import type { Db } from "../client";
import { BM25_RANK, productsFts } from "../fts";
import { toProduct } from "../product-row";
import { products } from "../schema";

export interface ListResult {
  products: ReturnType<typeof toProduct>[];
  total: number;
}

function filters(query: ProductListQuery): SQL[] {
  const conditions: SQL[] = [eq(products.isActive, true)];
  if (query.category !== undefined) conditions.push(eq(products.category, query.category));
  if (query.minPrice !== undefined) conditions.push(gte(products.price, query.minPrice));
  if (query.maxPrice !== undefined) conditions.push(lte(products.price, query.maxPrice));
  return conditions;
}

function ordering(query: ProductListQuery, searching: boolean): SQL[] {
  // bm25 (the rank column) is smaller for better matches; `seq` breaks ties so pages never overlap or skip rows.
  if (searching && query.sortBy === undefined) return [asc(productsFts.rank), asc(products.seq)];
  const direction = query.sortOrder === "asc" ? asc : desc;
  const column =
    query.sortBy === "price"
      ? products.price
      : query.sortBy === "name"
        ? sql`${products.name} COLLATE NOCASE`
        : products.createdAt;
  return [direction(column), direction(products.seq)];
}

// The page and the total in one statement: `count(*) OVER ()` is computed over every matching row before
// LIMIT/OFFSET, so a search runs its FTS5 MATCH (and bm25) once instead of once more for a separate COUNT(*).
const total = sql<number>`count(*) OVER ()`.mapWith(Number);

/** One page of active products matching the filters (and the search, ranked with bm25), plus the total. */
export async function listProducts(db: Db, query: ProductListQuery, fts: FtsQuery): Promise<ListResult> {
  if (fts.kind === "empty") return { products: [], total: 0 };
  const offset = (query.page - 1) * query.limit;
  const matching = fts.kind === "match";
  const order = ordering(query, matching);
  // The expression comes from toFtsQuery and is bound as a parameter, never spliced into the SQL.
  const where = matching
    ? and(
        ...filters(query),
        sql`${productsFts} MATCH ${fts.expression}`,
        sql`${productsFts.rank} MATCH ${BM25_RANK}`,
      )
    : and(...filters(query));
  const join = eq(productsFts.rowid, products.seq);
  const base = db.select({ product: products, total }).from(products);
  const page = await (matching ? base.innerJoin(productsFts, join) : base)
    .where(where)
    .orderBy(...order)
    .limit(query.limit)
    .offset(offset);
  const first = page[0];
  if (first) return { products: page.map((row) => toProduct(row.product)), total: first.total };
  if (offset === 0) return { products: [], total: 0 };
  // A page past the end has no row to carry the total: count separately, only in that rare case.
  const counted = matching
    ? await db.select({ total: count() }).from(products).innerJoin(productsFts, join).where(where)
    : await db.select({ total: count() }).from(products).where(where);
  return { products: [], total: counted[0]?.total ?? 0 };
}

/** Every category that has an active product, with how many it has, by name. */
export async function listCategories(db: Db): Promise<{ name: string; count: number }[]> {
  return db
    .select({ name: products.category, count: count() })
    .from(products)
    .where(eq(products.isActive, true))
    .groupBy(products.category)
    .orderBy(asc(products.category));
}
