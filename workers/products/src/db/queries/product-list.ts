import type { ProductListQuery } from "@edge-shop/contracts";
import { preparedPerShape } from "@edge-shop/worker-kit";
import { type AnyColumn, and, asc, count, desc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { FtsQuery } from "../../search/fts-query";
import type { Db } from "../client";
import { BM25_RANK, productsFts } from "../fts";
import { toProduct } from "../product-row";
import { products } from "../schema";

export interface ListResult {
  products: ReturnType<typeof toProduct>[];
  total: number;
}

// Every value of a list query is a placeholder, so its statements depend only on its shape (which filters it
// has, its sort, whether it searches) and are rendered once per isolate (preparedPerShape); a query binds its
// values to them.
const bound = {
  category: sql.placeholder("category"),
  minPrice: sql.placeholder("minPrice"),
  maxPrice: sql.placeholder("maxPrice"),
  search: sql.placeholder("search"),
  limit: sql.placeholder("limit"),
  offset: sql.placeholder("offset"),
};

function shapeOf(query: ProductListQuery, searching: boolean): string {
  const present = [query.category, query.minPrice, query.maxPrice].map((value) => value !== undefined);
  return [searching, ...present, query.sortBy, query.sortOrder, query.includeInactive].join("|");
}

/** The values of a query's placeholders (`expression`: the FTS5 expression of a search). */
export function pageValues(query: ProductListQuery, expression?: string): Record<string, unknown> {
  return {
    category: query.category,
    minPrice: query.minPrice,
    maxPrice: query.maxPrice,
    search: expression,
    limit: query.limit,
    offset: (query.page - 1) * query.limit,
  };
}

function filters(query: ProductListQuery): SQL[] {
  const conditions: SQL[] = query.includeInactive ? [] : [eq(products.isActive, true)];
  if (query.category !== undefined) conditions.push(eq(products.category, bound.category));
  if (query.minPrice !== undefined) conditions.push(gte(products.price, bound.minPrice));
  if (query.maxPrice !== undefined) conditions.push(lte(products.price, bound.maxPrice));
  return conditions;
}

interface Sort {
  key: AnyColumn | SQL.Aliased;
  direction: typeof asc;
  nocase: boolean;
}

function sortOf(query: ProductListQuery, searching: boolean): Sort {
  // bm25 (FTS5's rank column) is smaller for better matches.
  if (searching && query.sortBy === undefined)
    return { key: productsFts.rank, direction: asc, nocase: false };
  const direction = query.sortOrder === "asc" ? asc : desc;
  if (query.sortBy === "price") return { key: products.price, direction, nocase: false };
  if (query.sortBy === "name") return { key: products.name, direction, nocase: true };
  return { key: products.createdAt, direction, nocase: false };
}

// `seq` breaks ties so pages never overlap or skip rows.
function ordering(sort: Sort, seq: AnyColumn | SQL.Aliased): SQL[] {
  const key = sort.nocase ? sql`${sort.key} COLLATE NOCASE` : sql`${sort.key}`;
  return [sort.direction(key), sort.direction(sql`${seq}`)];
}

// The page and the total of every match in one statement: the total as a scalar subquery, not a window.
// See docs/architecture.md, "Catalog and search".
function listStatements(db: Db, query: ProductListQuery) {
  const where = and(...filters(query));
  const total = db.select({ total: count() }).from(products).where(where);
  return {
    page: db
      .select({ product: products, total: sql<number>`(${total})`.mapWith(Number) })
      .from(products)
      .where(where)
      .orderBy(...ordering(sortOf(query, false), products.seq))
      .limit(bound.limit)
      .offset(bound.offset)
      .prepare(),
    total: total.prepare(),
  };
}

// A search runs its FTS5 MATCH once, in a narrow subquery that the index drives (CROSS JOIN keeps SQLite from
// running the MATCH once per product). See docs/architecture.md, "Catalog and search".
function searchWhere(query: ProductListQuery): SQL | undefined {
  // The expression comes from toFtsQuery and is bound as a parameter, never spliced into the SQL.
  return and(
    eq(productsFts.rowid, products.seq),
    ...filters(query),
    sql`${productsFts} MATCH ${bound.search}`,
    sql`${productsFts.rank} MATCH ${BM25_RANK}`,
  );
}

function searchStatements(db: Db, query: ProductListQuery): ReturnType<typeof listStatements> {
  const sort = sortOf(query, true);
  const page = db
    .select({
      seq: sql<number>`${products.seq}`.as("page_seq"),
      key: sql`${sort.key}`.as("page_key"),
      total: sql<number>`count(*) OVER ()`.mapWith(Number).as("page_total"),
    })
    .from(productsFts)
    .crossJoin(products)
    .where(searchWhere(query))
    .orderBy(...ordering(sort, products.seq))
    .limit(bound.limit)
    .offset(bound.offset)
    .as("page");
  return {
    page: db
      .select({ product: products, total: page.total })
      .from(page)
      .innerJoin(products, eq(products.seq, page.seq))
      .orderBy(...ordering({ ...sort, key: page.key }, page.seq))
      .prepare(),
    total: db
      .select({ total: count() })
      .from(productsFts)
      .crossJoin(products)
      .where(searchWhere(query))
      .prepare(),
  };
}

const statements = preparedPerShape<Db, ReturnType<typeof listStatements>>();

/**
 * The prepared statements of a list's or a search's shape: `page` answers the page's rows, each with the total
 * of every match; `total` counts the matches alone (for a page past the end, which has no row to carry it).
 */
export function pageStatements(db: Db, query: ProductListQuery, searching: boolean) {
  return statements(db, shapeOf(query, searching), () =>
    searching ? searchStatements(db, query) : listStatements(db, query),
  );
}

/**
 * One page of active products (every product with `includeInactive`) matching the filters (and the search,
 * ranked with bm25), plus the total.
 */
export async function listProducts(db: Db, query: ProductListQuery, fts: FtsQuery): Promise<ListResult> {
  if (fts.kind === "empty") return { products: [], total: 0 };
  const searching = fts.kind === "match";
  const { page, total } = pageStatements(db, query, searching);
  const values = pageValues(query, searching ? fts.expression : undefined);
  const rows = await page.all(values);
  const first = rows[0];
  if (first) return { products: rows.map((row) => toProduct(row.product)), total: first.total };
  if (query.page === 1) return { products: [], total: 0 };
  const counted = await total.all(values);
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
