// Data of the primitives, shaped like the shop's own: 100 catalog-like rows, a stock ledger, a KV value the
// size of a cached catalog page. Imported by the primitive worker (the statements) and by the harness (setup).

export const KV_KEY = "bench:catalog-page";
export const ROWS = 100;

export const READ_20_ROWS = "SELECT * FROM items WHERE is_active = 1 ORDER BY created_at DESC LIMIT 20";
// A paginated list also answers its total: the count rides in the page's statement as an uncorrelated scalar
// subquery (SQLite runs it once), as the catalog's list does; one statement measured ~7 % cheaper than the page
// and a count in one batch.
export const PAGE_20_ROWS_WITH_TOTAL = `SELECT *, (SELECT count(*) FROM items WHERE is_active = 1) AS total
  FROM items WHERE is_active = 1 ORDER BY created_at DESC LIMIT 20`;
export const STOCK_UPDATE =
  "UPDATE items SET stock = stock - 1, updated_at = unixepoch() WHERE id = ? AND stock >= 1";
// A full-text search as the catalog runs one: a prefix-matched word, the page ranked by bm25, the total of every
// match beside it. Each of the WORDS tags one item in seven (~14 of 100), as a common tag does in the demo catalog.
// The index drives the join (CROSS JOIN fixes the order), as in the catalog: SQLite would otherwise walk the
// items by their is_active index and run the MATCH once per item.
export const SEARCH_WORDS = ["amber", "basil", "cedar", "delta", "ember", "fjord", "grove"];
export const SEARCH_20_ROWS = `SELECT items.*, count(*) OVER () AS total FROM items_fts
  CROSS JOIN items ON items.rowid = items_fts.rowid
  WHERE items_fts MATCH ? AND items.is_active = 1 ORDER BY items_fts.rank LIMIT 20`;
export const FTS_REBUILD = "INSERT INTO items_fts (items_fts) VALUES ('rebuild')";
export const LEDGER_INSERT = "INSERT INTO ledger (id, item_a, item_b, created_at) VALUES (?, ?, ?, ?)";

/** The primitive database: one statement per entry. */
export const SCHEMA = [
  `CREATE TABLE items (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, price INTEGER NOT NULL,
    currency TEXT NOT NULL, category TEXT NOT NULL, stock INTEGER NOT NULL, images TEXT NOT NULL,
    tags TEXT NOT NULL, is_active INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  "CREATE INDEX items_created ON items (is_active, created_at)",
  `CREATE VIRTUAL TABLE items_fts USING fts5(name, description, tags, content = 'items', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2')`,
  "CREATE TABLE ledger (id TEXT PRIMARY KEY, item_a TEXT NOT NULL, item_b TEXT NOT NULL, created_at INTEGER NOT NULL)",
];

/** One catalog-like row as bind values, in the column order of `items`. */
export function itemRow(n: number): (string | number)[] {
  const name = `Bench item ${n}`;
  return [
    `item-${n}`,
    name,
    `A sturdy, honest ${name.toLowerCase()} that does what it says on the tin, described at catalog length.`,
    1000 + n * 37,
    "USD",
    ["books", "garden", "kitchen", "tools"][n % 4] ?? "books",
    1_000_000_000,
    JSON.stringify([`https://images.edge-shop.example/products/item-${n}.jpg`]),
    JSON.stringify(["bench", `tag-${n % 7}`, SEARCH_WORDS[n % SEARCH_WORDS.length] ?? "amber"]),
    1,
    Date.UTC(2025, 0, 1) + n * 3_600_000,
    Date.UTC(2025, 0, 1) + n * 3_600_000,
  ];
}

export const INSERT_ITEM = `INSERT INTO items VALUES (${Array(12).fill("?").join(", ")})`;

/** A KV value of `bytes` length shaped like a catalog page. */
export function catalogPage(bytes: number): string {
  const products = [];
  let n = 0;
  while (JSON.stringify({ products }).length < bytes) products.push({ id: `item-${n}`, row: itemRow(n++) });
  return JSON.stringify({ products });
}
