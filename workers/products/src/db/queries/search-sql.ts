import { CatalogLimits } from "@edge-shop/contracts";
import { type SQL, sql } from "drizzle-orm";
import {
  afterCursor,
  all,
  bound,
  filtersOn,
  keyOf,
  type ListShape,
  orderOn,
  productColumns,
  type Statement,
} from "./list-sql";

// The statements of a search. The full-text index hands over its matches newest first (rowid order, which it
// walks without sorting) and the walk stops at the search's scope, so no statement reads more than that many
// matches however common the words are; bm25 scores only the first matches that pass the filters. The FTS5
// expression comes from toFtsQuery and is bound, never spliced. See docs/architecture.md, "Catalog and search".

/** The newest matches of the search, at most the scope (`rank` selects FTS5's bm25 score beside each). */
function newestMatches(withRank: boolean): SQL {
  const rank = withRank ? sql`, rank AS score` : sql``;
  const rankFunction = withRank ? sql` AND rank MATCH ${bound.bm25}` : sql``;
  return sql`SELECT rowid AS seq${rank} FROM products_fts WHERE products_fts MATCH ${bound.search}${rankFunction}
    ORDER BY rowid DESC LIMIT ${CatalogLimits.searchScope}`;
}

/** How many matches the scope held (`examined`) and how many of them pass the filters (`passing`). */
function seenStatement(shape: ListShape): SQL {
  return sql`SELECT count(*) AS examined, coalesce(sum(${all(filtersOn(shape, "t"))}), 0) AS passing
    FROM (${newestMatches(false)}) AS m CROSS JOIN products AS t ON t.seq = m.seq`;
}

/**
 * Ordered by relevance: the first `ranked` matches that pass the filters (newest first), scored by bm25 and
 * sorted (a bounded sort), one page of them joined to their rows. One more candidate than it ranks says whether
 * more exist; only when none does, the scope's matches are counted (`examined`: did the walk stop at the scope?).
 * The counts ride on every row, and on a lone row of NULL product columns when the page is empty (LEFT JOIN).
 */
function rankedStatement(shape: ListShape): Statement {
  const candidates = sql`SELECT m.seq AS seq, m.score AS score FROM (${newestMatches(true)}) AS m
    CROSS JOIN products AS t ON t.seq = m.seq WHERE ${all(filtersOn(shape, "t"))} LIMIT ${CatalogLimits.ranked + 1}`;
  const scope = sql`SELECT count(*) FROM (${newestMatches(false)})`;
  // The extra candidate (the oldest, when there is one) only says that more exist: it is not ranked.
  const ranked = sql`SELECT seq, score FROM candidates
    WHERE (SELECT n FROM found) <= ${CatalogLimits.ranked} OR seq > (SELECT min(seq) FROM candidates)`;
  const page = sql`SELECT p.score AS score, ${productColumns("t")} FROM (SELECT seq, score FROM (${ranked})
      ORDER BY score, seq LIMIT ${bound.take} OFFSET ${bound.offset}) AS p
    CROSS JOIN products AS t ON t.seq = p.seq`;
  return {
    query: sql`WITH candidates AS MATERIALIZED (${candidates}),
        found AS (SELECT count(*) AS n FROM candidates)
      SELECT page.*, found.n AS found,
        CASE WHEN found.n <= ${CatalogLimits.ranked} THEN (${scope}) END AS examined
      FROM found LEFT JOIN (${page}) AS page ON 1
      ORDER BY page.score, page.seq`,
    // The candidates' sort and the page's.
    boundedSorts: 2,
  };
}

/**
 * Sorted by a field: every match of the scope that passes the filters, sorted (a bounded sort), after the cursor
 * when there is one. The scope's counts come from window functions over the same walk, so it is read once, and
 * the rows carry their columns through the sort, so nothing is read again after it.
 */
function sortedStatement(shape: ListShape): Statement {
  const passes = all(filtersOn(shape, "t"));
  const scope = sql`SELECT ${productColumns("t")}, ${passes} AS ok, count(*) OVER () AS examined,
    sum(${passes}) OVER () AS passing FROM (${newestMatches(false)}) AS m CROSS JOIN products AS t ON t.seq = m.seq`;
  const key = keyOf(shape.sortBy, "w");
  const conditions = [sql`w.ok`, ...(shape.cursor ? [afterCursor(shape, key, sql`w.seq`)] : [])];
  return {
    query: sql`SELECT w.* FROM (${scope}) AS w WHERE ${all(conditions)}
      ORDER BY ${orderOn(shape, key, sql`w.seq`)} LIMIT ${bound.take} OFFSET ${bound.offset}`,
    boundedSorts: 1,
  };
}

/**
 * The statements of a search's shape: `page` (product columns with its counts) and `total` (how many matches the
 * scope held and how many pass the filters, for an empty page of a sorted search).
 */
export function searchStatements(shape: ListShape, ranked: boolean): { page: Statement; total: Statement } {
  return {
    page: ranked ? rankedStatement(shape) : sortedStatement(shape),
    total: { query: seenStatement(shape), boundedSorts: 0 },
  };
}
