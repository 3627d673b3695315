import type { ProductListQuery } from "@edge-shop/contracts";
import { and, asc, count, desc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { FtsQuery } from "../../search/fts-query";
import type { Db } from "../client";
import { BM25_WEIGHTS, productsFts } from "../fts";
import { type ProductRow, toProduct } from "../product-row";
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

const rank = sql`bm25(${productsFts}, ${sql.raw(String(BM25_WEIGHTS.name))}, ${sql.raw(
  String(BM25_WEIGHTS.description),
)}, ${sql.raw(String(BM25_WEIGHTS.tags))})`;

function ordering(query: ProductListQuery, searching: boolean): SQL[] {
  // bm25 is smaller for better matches; `seq` breaks ties so pages never overlap or skip rows.
  if (searching && query.sortBy === undefined) return [asc(rank), asc(products.seq)];
  const direction = query.sortOrder === "asc" ? asc : desc;
  const column =
    query.sortBy === "price"
      ? products.price
      : query.sortBy === "name"
        ? sql`${products.name} COLLATE NOCASE`
        : products.createdAt;
  return [direction(column), direction(products.seq)];
}

/** One page of active products matching the filters (and the search, ranked with bm25), plus the total. */
export async function listProducts(db: Db, query: ProductListQuery, fts: FtsQuery): Promise<ListResult> {
  if (fts.kind === "empty") return { products: [], total: 0 };
  const offset = (query.page - 1) * query.limit;
  const order = ordering(query, fts.kind === "match");
  let rows: ProductRow[];
  let total: number;
  if (fts.kind === "match") {
    // The expression comes from toFtsQuery and is bound as a parameter, never spliced into the SQL.
    const where = and(...filters(query), sql`${productsFts} MATCH ${fts.expression}`);
    const join = eq(productsFts.rowid, products.seq);
    const [page, counted] = await db.batch([
      db
        .select({ product: products })
        .from(products)
        .innerJoin(productsFts, join)
        .where(where)
        .orderBy(...order)
        .limit(query.limit)
        .offset(offset),
      db.select({ total: count() }).from(products).innerJoin(productsFts, join).where(where),
    ]);
    rows = page.map((row) => row.product);
    total = counted[0]?.total ?? 0;
  } else {
    const where = and(...filters(query));
    const [page, counted] = await db.batch([
      db
        .select()
        .from(products)
        .where(where)
        .orderBy(...order)
        .limit(query.limit)
        .offset(offset),
      db.select({ total: count() }).from(products).where(where),
    ]);
    rows = page;
    total = counted[0]?.total ?? 0;
  }
  return { products: rows.map(toProduct), total };
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
