import { CatalogLimits, type ProductSortField } from "@edge-shop/contracts";
import { getTableColumns, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Band } from "../../catalog/price-bands";
import { LIST_INDEXES, products } from "../schema";

// The statements of a product list, one per shape (which filters, which sort, whether it follows a cursor), and the
// pieces the statements of a price range (price-range-sql.ts) and of a search (search-sql.ts) are built of. Each
// names the index it walks (INDEXED BY) and binds every value as a placeholder; a walk stops at its LIMIT, so a
// page reads about as many index entries as it shows, whatever the catalog's size. See docs/architecture.md,
// "Catalog and search".

/** What decides a list statement: the filters present, the sort, whether a cursor positions it. */
export interface ListShape {
  includeInactive: boolean;
  category: boolean;
  minPrice: boolean;
  maxPrice: boolean;
  sortBy: ProductSortField;
  sortOrder: "asc" | "desc";
  cursor: boolean;
  /** A price range's bands when its page statement walks them (src/catalog/page-plan.ts). */
  bands: Band["level"][] | undefined;
}

/** A statement and how many temporary B-trees its plan may hold, each over a bounded set of rows. */
export interface Statement {
  query: SQL;
  boundedSorts: number;
}

/** Every value a list or search statement binds, by placeholder name. */
export const bound = {
  category: sql.placeholder("category"),
  minPrice: sql.placeholder("minPrice"),
  maxPrice: sql.placeholder("maxPrice"),
  search: sql.placeholder("search"),
  bm25: sql.placeholder("bm25"),
  cursorKey: sql.placeholder("cursorKey"),
  cursorSeq: sql.placeholder("cursorSeq"),
  take: sql.placeholder("take"),
  offset: sql.placeholder("offset"),
  /** The number of the range's band `i` (page-plan.ts binds `band0`, `band1`, …). */
  band: (i: number) => sql.placeholder(`band${i}`),
};

// A product's stored columns, not the generated price bands (only the indexes need those): `t.*` would compute
// them for every row and make each statement slower to compile (docs/architecture.md, "Catalog and search").
const STORED_COLUMNS = Object.values(getTableColumns(products))
  .filter((column) => !column.generated)
  .map((column) => column.name);

/** The columns of a product row (src/db/product-row.ts `fromColumns`) on the table alias `t`. */
export function productColumns(t: string): SQL {
  return sql.raw(STORED_COLUMNS.map((name) => `${t}.${name}`).join(", "));
}

// Counts stop one past the window: reaching it says "more than that" without reading further.
const COUNT_CAP = CatalogLimits.window + 1;

const hasPrice = (shape: ListShape) => shape.minPrice || shape.maxPrice;

/** Where a statement's filters and cursor find their values: placeholders, or the columns of a CTE. */
export type Values = Record<"category" | "minPrice" | "maxPrice" | "cursorKey" | "cursorSeq", SQLWrapper>;

/** The conditions of the shape's filters on the table alias `t` (activity, category, price range). */
export function filtersOn(shape: ListShape, t: string, values: Values = bound): SQL[] {
  const on = sql.raw(t);
  const conditions: SQL[] = shape.includeInactive ? [] : [sql`${on}.is_active = 1`];
  if (shape.category) conditions.push(sql`${on}.category = ${values.category}`);
  if (shape.minPrice) conditions.push(sql`${on}.price >= ${values.minPrice}`);
  if (shape.maxPrice) conditions.push(sql`${on}.price <= ${values.maxPrice}`);
  return conditions;
}

/** `a AND b AND …`, or `1` when there is nothing to check. */
export function all(conditions: SQL[]): SQL {
  return conditions.length === 0 ? sql`1` : sql.join(conditions, sql` AND `);
}

/** The sort key of a field on the table alias `t` (a name compares without case, as its index does). */
export function keyOf(sortBy: ProductSortField, t: string): SQL {
  if (sortBy === "price") return sql.raw(`${t}.price`);
  if (sortBy === "name") return sql.raw(`${t}.name COLLATE NOCASE`);
  return sql.raw(`${t}.created_at`);
}

const direction = (shape: { sortOrder: "asc" | "desc" }) =>
  sql.raw(shape.sortOrder === "asc" ? "ASC" : "DESC");

/** `ORDER BY key, seq` in the shape's direction: `seq` breaks ties, as the last column of every list index. */
export function orderOn(shape: ListShape, key: SQL, seq: SQL): SQL {
  const dir = direction(shape);
  return sql`${key} ${dir}, ${seq} ${dir}`;
}

/**
 * The rows after the cursor's position in the shape's order. The first conjunct is a range the index seeks to;
 * the second skips the cursor's own row and its ties up to it.
 */
export function afterCursor(shape: ListShape, key: SQL, seq: SQL, values: Values = bound): SQL {
  const [loose, strict] = shape.sortOrder === "asc" ? [sql`>=`, sql`>`] : [sql`<=`, sql`<`];
  return sql`${key} ${loose} ${values.cursorKey} AND (${key} ${strict} ${values.cursorKey} OR ${seq} ${strict} ${values.cursorSeq})`;
}

function indexOf(sortBy: ProductSortField, category: boolean): SQL {
  const name = {
    createdAt: category ? LIST_INDEXES.categoryCreated : LIST_INDEXES.created,
    price: category ? LIST_INDEXES.categoryPrice : LIST_INDEXES.price,
    name: category ? LIST_INDEXES.categoryName : LIST_INDEXES.name,
  }[sortBy];
  return sql`${sql.identifier(name)}`;
}

/** `products AS t INDEXED BY …`: the table under alias `t`, walked through the index of `sortBy`. */
export function walked(shape: ListShape, sortBy: ProductSortField, t: string): SQL {
  return sql`products AS ${sql.raw(t)} INDEXED BY ${indexOf(sortBy, shape.category)}`;
}

/** The shape's filters and its cursor on the table alias `t`, all of them. */
export function pageConditions(shape: ListShape, t: string, values: Values = bound): SQL {
  const conditions = filtersOn(shape, t, values);
  if (shape.cursor) conditions.push(afterCursor(shape, keyOf(shape.sortBy, t), sql.raw(`${t}.seq`), values));
  return all(conditions);
}

/** The exact count of every match from the maintained category counts (lists without a price filter). */
function countedTotal(shape: ListShape): SQL {
  const column = sql.raw(shape.includeInactive ? "total" : "active");
  const where = shape.category ? sql` WHERE c.category = ${bound.category}` : sql``;
  return sql`(SELECT coalesce(sum(c.${column}), 0) FROM product_counts AS c${where})`;
}

/** The matches of a price filter counted along the price index, stopping one past the window. */
export function cappedCount(shape: ListShape): SQL {
  return sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${walked(shape, "price", "x")} WHERE ${all(filtersOn(shape, "x"))} LIMIT ${COUNT_CAP})`;
}

/**
 * The statements of a list that walks its sort's index: every shape but a price filter under another sort
 * (price-range-sql.ts). The page's rows carry the total (counts table, or the price range counted up to the cap)
 * as `total_count`; the total statement answers it alone (for an empty page).
 */
export function walkStatements(shape: ListShape): ListStatements {
  const total = hasPrice(shape) ? sql`(${cappedCount(shape)})` : countedTotal(shape);
  const key = keyOf(shape.sortBy, "t");
  return {
    page: {
      query: sql`SELECT ${productColumns("t")}, ${total} AS total_count FROM ${walked(shape, shape.sortBy, "t")}
        WHERE ${pageConditions(shape, "t")} ORDER BY ${orderOn(shape, key, sql`t.seq`)}
        LIMIT ${bound.take} OFFSET ${bound.offset}`,
      boundedSorts: 0,
    },
    total: { query: sql`SELECT ${total} AS total_count`, boundedSorts: 0 },
  };
}

/** A list's statements: its page (rows with `total_count`) and its total alone. */
export interface ListStatements {
  page: Statement;
  total: Statement;
}
