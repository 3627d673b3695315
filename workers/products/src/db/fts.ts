import { integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

// The FTS5 index created by migrations/products/0002_fts_and_catalog_version.sql (with prefix indexes since
// 0006_catalog_at_scale.sql). Declared here, outside schema.ts, only so queries can name it: drizzle-kit must never
// try to create it as a plain table.
export const productsFts = sqliteTable("products_fts", {
  rowid: integer("rowid").notNull(),
  name: text("name"),
  description: text("description"),
  tags: text("tags"),
  // FTS5's hidden rank column: the score of the row under the rank function of the query (BM25_RANK).
  rank: real("rank"),
});

// bm25 column weights (name, description, tags): a word in the name says far more than one in the text.
export const BM25_WEIGHTS = { name: 10, description: 1, tags: 4 } as const;

// The same bm25 call as FTS5's rank function, selected per query with `rank MATCH BM25_RANK`. Ordering by the
// `rank` column instead of calling bm25() in ORDER BY lets the page carry `count(*) OVER ()`: SQLite refuses an
// auxiliary function such as bm25() in a query that has a window function.
export const BM25_RANK = `bm25(${BM25_WEIGHTS.name}, ${BM25_WEIGHTS.description}, ${BM25_WEIGHTS.tags})`;
