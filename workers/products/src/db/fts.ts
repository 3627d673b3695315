import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// The FTS5 index created by migrations/products/0002_fts_and_catalog_version.sql. Declared here, outside
// schema.ts, only so queries can name it: drizzle-kit must never try to create it as a plain table.
export const productsFts = sqliteTable("products_fts", {
  rowid: integer("rowid").notNull(),
  name: text("name"),
  description: text("description"),
  tags: text("tags"),
});

// bm25 column weights (name, description, tags): a word in the name says far more than one in the text.
export const BM25_WEIGHTS = { name: 10, description: 1, tags: 4 } as const;
