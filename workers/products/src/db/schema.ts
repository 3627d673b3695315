import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export { inbox, outbox } from "@edge-shop/worker-kit";

/** The names of the list indexes, by the sort they serve (with or without a category). */
export const LIST_INDEXES = {
  created: "products_by_created",
  price: "products_by_price",
  name: "products_by_name",
  categoryCreated: "products_by_category_created",
  categoryPrice: "products_by_category_price",
  categoryName: "products_by_category_name",
  digitsCreated: "products_by_price_digits_created",
  lead1Created: "products_by_price_lead1_created",
  lead2Created: "products_by_price_lead2_created",
  digitsName: "products_by_price_digits_name",
  lead1Name: "products_by_price_lead1_name",
  lead2Name: "products_by_price_lead2_name",
  categoryDigitsCreated: "products_by_category_price_digits_created",
  categoryLead1Created: "products_by_category_price_lead1_created",
  categoryLead2Created: "products_by_category_price_lead2_created",
  categoryDigitsName: "products_by_category_price_digits_name",
  categoryLead1Name: "products_by_category_price_lead1_name",
  categoryLead2Name: "products_by_category_price_lead2_name",
} as const;

// The price bands of src/catalog/price-bands.ts (bandOf computes the same in TypeScript).
const PRICE_TEXT = sql.raw("CAST(`price` AS TEXT)");
const LEAD2 = sql`length(${PRICE_TEXT}) * 100 + CAST(substr(${PRICE_TEXT} || '0', 1, 2) AS INTEGER)`;

/**
 * The catalog. `seq` is the stable integer rowid the FTS5 external-content index (`products_fts`,
 * created by a custom migration) points at; `id` is the opaque public id.
 */
export const products = sqliteTable(
  "products",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    price: integer("price").notNull(),
    currency: text("currency").notNull(),
    category: text("category").notNull(),
    stock: integer("stock").notNull(),
    // JSON arrays of strings; `tags` is indexed by FTS5 as it is (the tokenizer drops the JSON punctuation).
    images: text("images").notNull(),
    tags: text("tags").notNull(),
    isActive: integer("is_active", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    // The catalog version at which this row last changed, set in the same batch as every change (after the
    // catalog_meta bump): the tag of its cached product page. 0 for rows written before versions existed.
    version: integer("version").notNull().default(0),
    // At most this many units per order (a limited item); null: only the order's own limits apply.
    maxPerOrder: integer("max_per_order"),
    // Price bands (computed, not stored): how many digits the price has; that and its first digit; its first two.
    priceDigits: integer("price_digits").generatedAlwaysAs(sql`length(${PRICE_TEXT})`, { mode: "virtual" }),
    priceLead1: integer("price_lead1").generatedAlwaysAs(sql`(${LEAD2}) / 10`, { mode: "virtual" }),
    priceLead2: integer("price_lead2").generatedAlwaysAs(LEAD2, { mode: "virtual" }),
  },
  // One index per filter-and-sort of the list API (src/db/queries/list-sql.ts and price-range-sql.ts name each with
  // INDEXED BY): the sort key, then `seq` (the tie-break, so the walk is already in page order), then the columns a
  // filter reads, so a walk never visits the table for a row it skips. See docs/architecture.md, "Catalog and search".
  (t) => [
    index(LIST_INDEXES.created).on(t.createdAt, t.seq, t.isActive, t.price),
    index(LIST_INDEXES.price).on(t.price, t.seq, t.isActive, t.createdAt, t.name),
    index(LIST_INDEXES.name).on(sql`${t.name} COLLATE NOCASE`, t.seq, t.isActive, t.price),
    index(LIST_INDEXES.categoryCreated).on(t.category, t.createdAt, t.seq, t.isActive, t.price),
    index(LIST_INDEXES.categoryPrice).on(t.category, t.price, t.seq, t.isActive, t.createdAt, t.name),
    index(LIST_INDEXES.categoryName).on(
      t.category,
      sql`${t.name} COLLATE NOCASE`,
      t.seq,
      t.isActive,
      t.price,
    ),
    // A price range under another sort walks one of these per band (price-range-sql.ts, bandsMerge).
    index(LIST_INDEXES.digitsCreated).on(t.priceDigits, t.createdAt, t.seq, t.isActive, t.price),
    index(LIST_INDEXES.lead1Created).on(t.priceLead1, t.createdAt, t.seq, t.isActive, t.price),
    index(LIST_INDEXES.lead2Created).on(t.priceLead2, t.createdAt, t.seq, t.isActive, t.price),
    index(LIST_INDEXES.digitsName).on(
      t.priceDigits,
      sql`${t.name} COLLATE NOCASE`,
      t.seq,
      t.isActive,
      t.price,
    ),
    index(LIST_INDEXES.lead1Name).on(t.priceLead1, sql`${t.name} COLLATE NOCASE`, t.seq, t.isActive, t.price),
    index(LIST_INDEXES.lead2Name).on(t.priceLead2, sql`${t.name} COLLATE NOCASE`, t.seq, t.isActive, t.price),
    index(LIST_INDEXES.categoryDigitsCreated).on(
      t.category,
      t.priceDigits,
      t.createdAt,
      t.seq,
      t.isActive,
      t.price,
    ),
    index(LIST_INDEXES.categoryLead1Created).on(
      t.category,
      t.priceLead1,
      t.createdAt,
      t.seq,
      t.isActive,
      t.price,
    ),
    index(LIST_INDEXES.categoryLead2Created).on(
      t.category,
      t.priceLead2,
      t.createdAt,
      t.seq,
      t.isActive,
      t.price,
    ),
    index(LIST_INDEXES.categoryDigitsName).on(
      t.category,
      t.priceDigits,
      sql`${t.name} COLLATE NOCASE`,
      t.seq,
      t.isActive,
      t.price,
    ),
    index(LIST_INDEXES.categoryLead1Name).on(
      t.category,
      t.priceLead1,
      sql`${t.name} COLLATE NOCASE`,
      t.seq,
      t.isActive,
      t.price,
    ),
    index(LIST_INDEXES.categoryLead2Name).on(
      t.category,
      t.priceLead2,
      sql`${t.name} COLLATE NOCASE`,
      t.seq,
      t.isActive,
      t.price,
    ),
    // Last line of defence: no code path may ever take stock below zero.
    check("products_stock_non_negative", sql`${t.stock} >= 0`),
    check("products_price_non_negative", sql`${t.price} >= 0`),
  ],
);

/**
 * One row per order that holds stock; `status` flips to `released` exactly once. A hold expires (`expires_at`,
 * epoch ms): orders' sweep then asks whether its order exists and lives (`expiredHolds`, `settleHolds`), so a
 * reservation whose order was never written, or whose release failed, cannot keep stock. Null: the order is paid,
 * the stock sold (it comes back only through `release`, on a refund).
 */
export const reservations = sqliteTable(
  "reservations",
  {
    orderId: text("order_id").primaryKey(),
    status: text("status", { enum: ["held", "released"] }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    releasedAt: integer("released_at", { mode: "timestamp_ms" }),
    expiresAt: integer("expires_at"),
  },
  (t) => [index("reservations_status_expires").on(t.status, t.expiresAt)],
);

/**
 * The items of a reservation, priced when they were reserved. `name`, `unit_price` and `currency` are
 * NOT NULL on purpose: reserve fills them from a sub-select that is NULL when the product is missing,
 * inactive or short, which aborts the whole batch (see stock/reserve.ts).
 */
export const reservationLines = sqliteTable(
  "reservation_lines",
  {
    orderId: text("order_id")
      .notNull()
      .references(() => reservations.orderId),
    productId: text("product_id").notNull(),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    unitPrice: integer("unit_price").notNull(),
    currency: text("currency").notNull(),
    quantity: integer("quantity").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.productId] }),
    check("quantity_positive", sql`${t.quantity} > 0`),
  ],
);

/** A single row (id = 1) holding the versions that tag the KV cache's entries (see docs/architecture.md). */
export const catalogMeta = sqliteTable("catalog_meta", {
  id: integer("id").primaryKey(),
  // Bumped by every catalog write: the source of each product's version (its page's cache tag, its ETag).
  version: integer("version").notNull(),
  // The cached lists', searches' and categories' tag: bumped by every write but a stock change that leaves
  // each product on the same side of zero (in stock, or sold out), so buying does not retire browsing.
  listVersion: integer("list_version").notNull().default(1),
});

/**
 * Every picture stored in R2, by the SHA-256 of its original (objects: `key` and its WebP variants). Products refer
 * to a picture by its URL in `products.images`; the sweep deletes the objects of a picture no product has referred
 * to for a while (see src/media/sweep.ts).
 */
export const media = sqliteTable(
  "media",
  {
    hash: text("hash").primaryKey(),
    /** The original's object key, `<hash>.<jpg|png|webp>`; its URL is `/media/<key>`. */
    key: text("key").notNull(),
    /** Every object (original and variants) is in R2. */
    stored: integer("stored", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Since when no product refers to it (null while one does). */
    releasedAt: integer("released_at", { mode: "timestamp_ms" }),
    /** The sweep has started deleting its objects: an upload of the same bytes must wait for it to finish. */
    deleting: integer("deleting", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("media_released").on(t.releasedAt)],
);

/**
 * How many products each category holds, active and in all, kept by triggers on `products` (created by a custom
 * migration): `/api/categories` and the totals of lists without a price filter read these rows, never the products.
 */
export const productCounts = sqliteTable("product_counts", {
  category: text("category").primaryKey(),
  active: integer("active").notNull().default(0),
  total: integer("total").notNull().default(0),
});
