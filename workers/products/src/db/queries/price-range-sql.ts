import { CatalogLimits } from "@edge-shop/contracts";
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Band, BandLevel } from "../../catalog/price-bands";
import { LIST_INDEXES } from "../schema";
import {
  all,
  bound,
  cappedCount,
  filtersOn,
  keyOf,
  type ListShape,
  type ListStatements,
  orderOn,
  pageConditions,
  productColumns,
  type Statement,
  type Values,
  walked,
} from "./list-sql";

// The statements of a price filter under another sort (newest first, by name): a range counted up to the window
// and read from the price index, or past it, a merge of its price bands' index walks (src/catalog/price-bands.ts).
// See docs/architecture.md, "Catalog and search".

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
export function priceRangeStatements(shape: ListShape): ListStatements {
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
