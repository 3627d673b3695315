import { CatalogLimits, type ProductSortField } from "@edge-shop/contracts";
import { getTableColumns, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Band, BandLevel } from "../../catalog/price-bands";
import { LIST_INDEXES, products } from "../schema";

// The statements of a product list, one per shape (which filters, which sort, whether it follows a cursor). Each
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
type Values = Record<"category" | "minPrice" | "maxPrice" | "cursorKey" | "cursorSeq", SQLWrapper>;

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
function walked(shape: ListShape, sortBy: ProductSortField, t: string): SQL {
  return sql`products AS ${sql.raw(t)} INDEXED BY ${indexOf(sortBy, shape.category)}`;
}

function pageConditions(shape: ListShape, t: string, values: Values = bound): SQL {
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
function cappedCount(shape: ListShape): SQL {
  return sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${walked(shape, "price", "x")} WHERE ${all(filtersOn(shape, "x"))} LIMIT ${COUNT_CAP})`;
}

/**
 * A list that walks its sort's index: every shape but a price filter under another sort. The page's rows carry
 * the total (counts table, or the price range counted up to the cap) as `total_count`.
 */
function walkStatements(shape: ListShape): ListStatements {
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

const BAND_COLUMN: Record<BandLevel, string> = {
  digits: "price_digits",
  lead1: "price_lead1",
  lead2: "price_lead2",
};

function bandIndex(level: BandLevel, shape: ListShape): SQL {
  const byName = shape.sortBy === "name";
  const names = shape.category
    ? {
        digits: byName ? LIST_INDEXES.categoryDigitsName : LIST_INDEXES.categoryDigitsCreated,
        lead1: byName ? LIST_INDEXES.categoryLead1Name : LIST_INDEXES.categoryLead1Created,
        lead2: byName ? LIST_INDEXES.categoryLead2Name : LIST_INDEXES.categoryLead2Created,
      }
    : {
        digits: byName ? LIST_INDEXES.digitsName : LIST_INDEXES.digitsCreated,
        lead1: byName ? LIST_INDEXES.lead1Name : LIST_INDEXES.lead1Created,
        lead2: byName ? LIST_INDEXES.lead2Name : LIST_INDEXES.lead2Created,
      };
  return sql`${sql.identifier(names[level])}`;
}

// D1 allows at most 5 terms in one compound SELECT. A term that is `SELECT * FROM (a compound)` (no ORDER BY, no
// LIMIT) is flattened into its parent by SQLite after that check, so the walks are nested by fives and still merged
// as one (tested by the query plan test: no temporary B-tree).
const COMPOUND_TERMS = 5;

/** `a UNION ALL b UNION ALL …`, nested so that no compound has more terms than D1 allows. */
function unionAll(terms: SQL[]): SQL {
  if (terms.length <= COMPOUND_TERMS) return sql.join(terms, sql` UNION ALL `);
  const groups: SQL[] = [];
  const size = Math.ceil(terms.length / COMPOUND_TERMS);
  for (let i = 0; i < terms.length; i += size) {
    groups.push(sql`SELECT * FROM (${unionAll(terms.slice(i, i + size))})`);
  }
  return unionAll(groups);
}

// The walks of a banded list read the filter and cursor values from the CTE `v` rather than binding them each:
// D1 binds at most 100 values per statement.
const shared: Values = {
  category: sql`(SELECT category FROM v)`,
  minPrice: sql`(SELECT min_price FROM v)`,
  maxPrice: sql`(SELECT max_price FROM v)`,
  cursorKey: sql`(SELECT cursor_key FROM v)`,
  cursorSeq: sql`(SELECT cursor_seq FROM v)`,
};

/** `v AS MATERIALIZED (…)`: the values the shape binds, once, as the columns `shared` reads. */
function sharedValues(shape: ListShape): SQL {
  const columns: SQL[] = [sql`1 AS one`];
  if (shape.category) columns.push(sql`${bound.category} AS category`);
  if (shape.minPrice) columns.push(sql`${bound.minPrice} AS min_price`);
  if (shape.maxPrice) columns.push(sql`${bound.maxPrice} AS max_price`);
  if (shape.cursor)
    columns.push(sql`${bound.cursorKey} AS cursor_key`, sql`${bound.cursorSeq} AS cursor_seq`);
  return sql`v AS MATERIALIZED (SELECT ${sql.join(columns, sql`, `)})`;
}

/**
 * The walk of band `i` of `count` (or of the sort's whole index) on the alias `t`, values from the CTE `v`: each
 * row's `seq` and sort key `k` (a name's keeps its collation), which the index holds, so no row of the table is
 * read for a row the page skips. Only the first band can hold prices below the range and only the last above it
 * (the cut in src/catalog/price-bands.ts): the bands between check no price.
 */
function bandWalk(shape: ListShape, level: Band["level"], i: number, count: number): SQL {
  const checked = {
    ...shape,
    minPrice: shape.minPrice && i === 0,
    maxPrice: shape.maxPrice && i === count - 1,
  };
  const conditions = pageConditions(checked, "t", shared);
  const columns = sql`t.seq AS seq, ${keyOf(shape.sortBy, "t")} AS k`;
  if (level === "all")
    return sql`SELECT ${columns} FROM ${walked(shape, shape.sortBy, "t")} WHERE ${conditions}`;
  return sql`SELECT ${columns} FROM products AS t INDEXED BY ${bandIndex(level, shape)}
    WHERE t.${sql.raw(BAND_COLUMN[level])} = ${bound.band(i)} AND ${conditions}`;
}

/**
 * The page of a price range wider than the window, in page order, as a merge of one index walk per band
 * (src/catalog/price-bands.ts `cutBands`; each walk is in page order already, so SQLite merges them without
 * sorting, and stops every walk once `limit` rows are merged): about `offset + limit` index entries read, plus what
 * the bands hold outside the range, then the page's rows. Reads its values from the CTE `v` (`sharedValues`).
 */
function bandsMerge(shape: ListShape, levels: Band["level"][], limit: SQLWrapper): SQL {
  const walks = levels.map((level, i) => bandWalk(shape, level, i, levels.length));
  return sql`SELECT ${productColumns("p")} FROM (SELECT seq, k FROM (${unionAll(walks)})
    ORDER BY ${orderOn(shape, sql.raw("k"), sql.raw("seq"))} LIMIT ${limit} OFFSET ${bound.offset}) AS r
    CROSS JOIN products AS p ON p.seq = r.seq ORDER BY ${orderOn(shape, sql.raw("r.k"), sql.raw("r.seq"))}`;
}

/** A price range's page as the merge of its bands' walks alone (cut to its span, after its count). */
export function bandsStatement(shape: ListShape, levels: Band["level"][]): Statement {
  // The lookups keep the merge's order: SQLite sorts nothing.
  return {
    query: sql`WITH ${sharedValues(shape)} ${bandsMerge(shape, levels, bound.take)}`,
    boundedSorts: 0,
  };
}

/** The price of the first row along the price index that passes `conditions`, lowest or highest first. */
function firstPrice(shape: ListShape, conditions: SQL[], order: "ASC" | "DESC"): SQL {
  const dir = sql.raw(order);
  return sql`(SELECT x.price FROM ${walked(shape, "price", "x")} WHERE ${all(conditions)}
    ORDER BY x.price ${dir}, x.seq ${dir} LIMIT 1)`;
}

/**
 * The range's count (up to one past the window) and, past the window, where its rows are (`PriceSpan`): its
 * lowest and highest price, the nearest prices outside it. Each is one seek on the price index.
 */
function countAndSpan(shape: ListShape): SQL {
  const inRange = filtersOn(shape, "x");
  const others = filtersOn({ ...shape, minPrice: false, maxPrice: false }, "x");
  const past = (value: SQL) => sql`CASE WHEN n > ${sql.raw(String(CatalogLimits.window))} THEN ${value} END`;
  const below = shape.minPrice
    ? past(firstPrice(shape, [...others, sql`x.price < ${bound.minPrice}`], "DESC"))
    : sql`NULL`;
  const above = shape.maxPrice
    ? past(firstPrice(shape, [...others, sql`x.price > ${bound.maxPrice}`], "ASC"))
    : sql`NULL`;
  return sql`SELECT n, ${past(firstPrice(shape, inRange, "ASC"))} AS span_low,
    ${past(firstPrice(shape, inRange, "DESC"))} AS span_high, ${below} AS span_below, ${above} AS span_above
    FROM (${cappedCount(shape)})`;
}

/**
 * A price filter under another sort (createdAt or name) has two plans, and the count decides. The page statement
 * counts the range along the price index (up to 501) and, for at most the window's matches, reads them from the
 * price index and sorts them (a bounded sort); it always answers a row with the count (product columns NULL when
 * it shows none). A wider range's page is the merge of its bands' walks: in the page statement when its bounds cut
 * few bands (`shape.bands`), else by `bandsStatement`, cut to the range's span, which the page statement then
 * answers too: a second statement, so that a narrow range never compiles many walks.
 */
function guardedStatements(shape: ListShape): ListStatements {
  const cap = CatalogLimits.window;
  const narrow = sql`SELECT ${productColumns("t")} FROM (SELECT x.seq AS seq FROM ${walked(shape, "price", "x")}
      WHERE ${pageConditions(shape, "x")} ORDER BY ${orderOn(shape, keyOf(shape.sortBy, "x"), sql`x.seq`)}
      LIMIT CASE WHEN (SELECT n FROM c) <= ${cap} THEN ${bound.take} ELSE 0 END OFFSET ${bound.offset}) AS r
    CROSS JOIN products AS t ON t.seq = r.seq`;
  const order = orderOn(shape, keyOf(shape.sortBy, "page"), sql`page.seq`);
  const total = { query: sql`SELECT n AS total_count FROM (${cappedCount(shape)})`, boundedSorts: 0 };
  // The narrow plan's sort (at most the window's rows), then the page's (at most `take` rows).
  const boundedSorts = 2;
  if (shape.bands) {
    const wide = bandsMerge(
      shape,
      shape.bands,
      sql`CASE WHEN (SELECT n FROM c) > ${cap} THEN ${bound.take} ELSE 0 END`,
    );
    const query = sql`WITH ${sharedValues(shape)}, c AS MATERIALIZED (${cappedCount(shape)})
      SELECT page.*, c.n AS total_count FROM c
      LEFT JOIN (SELECT * FROM (${narrow}) UNION ALL SELECT * FROM (${wide})) AS page ORDER BY ${order}`;
    return { page: { query, boundedSorts }, total };
  }
  const query = sql`WITH c AS MATERIALIZED (${countAndSpan(shape)})
    SELECT page.*, c.n AS total_count, c.span_low, c.span_high, c.span_below, c.span_above
    FROM c LEFT JOIN (${narrow}) AS page ORDER BY ${order}`;
  return { page: { query, boundedSorts }, total };
}

/** A list's statements: its page (rows with `total_count`) and its total alone. */
export interface ListStatements {
  page: Statement;
  total: Statement;
}

/** The statements of a list's shape: its page (rows with `total_count`) and its total alone (for an empty page). */
export function listStatements(shape: ListShape): ListStatements {
  return hasPrice(shape) && shape.sortBy !== "price" ? guardedStatements(shape) : walkStatements(shape);
}
