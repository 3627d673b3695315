import type { ItemRequest, PricedItem, PriceResult, ProductQuote } from "@edge-shop/contracts";
import { preparedPerShape } from "@edge-shop/worker-kit";
import { inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { products } from "../db/schema";

// D1 binds at most 100 parameters per statement; an order never needs more distinct products than that.
const MAX_DISTINCT_ITEMS = 100;
const MAX_QUANTITY = 1_000_000;

/** Thrown to the RPC caller for input no order could contain; orders validates first, this is a backstop. */
export class InvalidItemsError extends RangeError {
  override name = "InvalidItemsError";
}

/** Validates the items and merges repeated products (summing quantities), keeping first-seen order. */
export function normalizeItems(items: ItemRequest[]): ItemRequest[] {
  if (!Array.isArray(items) || items.length === 0) throw new InvalidItemsError("items must not be empty");
  const merged = new Map<string, number>();
  for (const item of items) {
    const { productId, quantity } = item ?? {};
    if (typeof productId !== "string" || productId.length === 0 || productId.length > 100) {
      throw new InvalidItemsError("productId must be a non-empty string");
    }
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      throw new InvalidItemsError(`quantity of ${productId} must be an integer from 1 to ${MAX_QUANTITY}`);
    }
    merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  }
  if (merged.size > MAX_DISTINCT_ITEMS) throw new InvalidItemsError("too many distinct products");
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

export interface StockRow {
  id: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
  isActive: boolean;
  maxPerOrder: number | null;
}

/** The query behind `loadStock`, to run alone or inside a batch. */
export function stockQuery(db: Db, ids: string[]) {
  return db
    .select({
      id: products.id,
      name: products.name,
      price: products.price,
      currency: products.currency,
      stock: products.stock,
      isActive: products.isActive,
      maxPerOrder: products.maxPerOrder,
    })
    .from(products)
    .where(inArray(products.id, ids));
}

/** Rows of `stockQuery` by product id. */
export function byId(rows: StockRow[]): Map<string, StockRow> {
  return new Map(rows.map((row) => [row.id, row]));
}

/** Current name, price, currency, stock and status of the given products, straight from D1. */
export async function loadStock(db: Db, ids: string[]): Promise<Map<string, StockRow>> {
  return byId(await stockQuery(db, ids));
}

/** Items asking more units than their product's per-order limit allows. */
export function overLimitOf(items: ItemRequest[], rows: Map<string, StockRow>): string[] {
  return items
    .filter((item) => {
      const limit = rows.get(item.productId)?.maxPerOrder ?? null;
      return limit !== null && item.quantity > limit;
    })
    .map((item) => item.productId);
}

/** Totals priced lines; the caller guarantees one currency. */
export function totalOf(items: PricedItem[]): number {
  return items.reduce((sum, item) => sum + item.lineTotal, 0);
}

/** Prices normalized items against loaded rows: not found, then inactive, then mixed currencies fail. */
export function priceAgainst(items: ItemRequest[], rows: Map<string, StockRow>): PriceResult {
  const missing = items.filter((item) => !rows.has(item.productId)).map((item) => item.productId);
  if (missing.length > 0) return { ok: false, reason: "not_found", productIds: missing };
  const inactive = items.filter((item) => rows.get(item.productId)?.isActive !== true);
  if (inactive.length > 0) {
    return { ok: false, reason: "inactive", productIds: inactive.map((item) => item.productId) };
  }
  const priced: PricedItem[] = [];
  for (const item of items) {
    const row = rows.get(item.productId);
    if (!row) continue; // cannot happen: checked above
    priced.push({
      productId: item.productId,
      name: row.name,
      unitPrice: row.price,
      currency: row.currency,
      quantity: item.quantity,
      lineTotal: row.price * item.quantity,
    });
  }
  const currencies = new Set(priced.map((item) => item.currency));
  const [currency] = currencies;
  if (currencies.size !== 1 || currency === undefined) {
    return { ok: false, reason: "mixed_currency", productIds: priced.map((item) => item.productId) };
  }
  return { ok: true, items: priced, total: totalOf(priced), currency };
}

/** Prices items from D1 (never from the cache): what orders charges. */
export async function priceItems(db: Db, items: ItemRequest[]): Promise<PriceResult> {
  const normalized = normalizeItems(items);
  const rows = await loadStock(
    db,
    normalized.map((item) => item.productId),
  );
  return priceAgainst(normalized, rows);
}

// One prepared statement per number of ids (a cart has at most 50 lines, and one more product being added): the
// quote of every cart read binds its ids instead of rendering its SQL again (docs/architecture.md, "Catalog and
// search").
const quoteStatements = preparedPerShape<Db, ReturnType<typeof prepareQuote>>();

function prepareQuote(db: Db, count: number) {
  const ids = Array.from({ length: count }, (_, i) => sql.placeholder(`id${i}`));
  return db
    .select({
      productId: products.id,
      name: products.name,
      price: products.price,
      currency: products.currency,
      stock: products.stock,
      isActive: products.isActive,
      maxPerOrder: products.maxPerOrder,
    })
    .from(products)
    .where(inArray(products.id, ids))
    .prepare();
}

/** The current terms of the given products (unknown ids left out), from D1: what a cart shows and checks. */
export async function quoteProducts(db: Db, productIds: string[]): Promise<ProductQuote[]> {
  if (!Array.isArray(productIds) || productIds.some((id) => typeof id !== "string" || id.length > 100)) {
    throw new InvalidItemsError("productIds must be strings of at most 100 characters");
  }
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return [];
  if (ids.length > MAX_DISTINCT_ITEMS) throw new InvalidItemsError("too many distinct products");
  const statement = quoteStatements(db, String(ids.length), () => prepareQuote(db, ids.length));
  return statement.all(Object.fromEntries(ids.map((id, i) => [`id${i}`, id])));
}
