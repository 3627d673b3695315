import type { ItemRequest, ReserveResult } from "@edge-shop/contracts";
import { and, eq, gte, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { bumpCatalogVersion } from "../db/queries/catalog-version";
import { products, reservationLines, reservations } from "../db/schema";
import { loadStock, normalizeItems, priceAgainst, type StockRow } from "./items";
import { checkOrderId, type StockChange, storedReservation } from "./stored-reservation";

function shortOf(items: ItemRequest[], rows: Map<string, StockRow>): string[] {
  return items
    .filter((item) => (rows.get(item.productId)?.stock ?? 0) < item.quantity)
    .map((item) => item.productId);
}

function available(item: ItemRequest): SQL {
  return and(
    eq(products.id, item.productId),
    eq(products.isActive, true),
    gte(products.stock, item.quantity),
  ) as SQL;
}

// A scalar sub-select that is NULL unless the product exists, is active and has the quantity in stock.
function ifAvailable(column: SQLiteColumn, item: ItemRequest): SQL {
  return sql`(select ${column} from ${products} where ${available(item)})`;
}

/**
 * Takes the stock of every item in ONE D1 batch, which D1 runs as a single transaction: any failing
 * statement rolls back all of them. Per item, first the reservation line is inserted with its NOT NULL
 * name/price/currency filled from `ifAvailable`: when the product is missing, inactive or short, the value
 * is NULL, the NOT NULL constraint fails and the whole batch (header, earlier lines, earlier stock updates,
 * version bump) is undone. Then the guarded `UPDATE … WHERE stock >= ?` takes the stock; within the same
 * transaction it therefore always touches exactly the row just checked, and the CHECK (stock >= 0) on
 * products is the last line of defence. The header insert fails on a duplicate orderId, which makes a
 * concurrent second reserve of the same order roll back entirely too.
 */
export async function takeStock(
  db: Db,
  orderId: string,
  items: ItemRequest[],
  now: Date,
): Promise<number | undefined> {
  const perItem = items.flatMap((item, position) => [
    db.insert(reservationLines).values({
      orderId,
      productId: item.productId,
      position,
      quantity: item.quantity,
      name: ifAvailable(products.name, item),
      unitPrice: ifAvailable(products.price, item),
      currency: ifAvailable(products.currency, item),
    }),
    db
      .update(products)
      .set({ stock: sql`${products.stock} - ${item.quantity}` })
      .where(available(item)),
  ]);
  const [, bumped] = await db.batch([
    db.insert(reservations).values({ orderId, status: "held", createdAt: now }),
    bumpCatalogVersion(db),
    ...perItem,
  ]);
  return bumped[0]?.version;
}

function isConstraintFailure(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/constraint failed/i.test(e.message)) return true;
  }
  return false;
}

/**
 * Reserves every item or none, idempotent per orderId: a repeated call answers the first call's result
 * without taking stock again. Prices are read from D1 and recorded with the reservation.
 */
export async function reserveStock(
  db: Db,
  orderId: string,
  items: ItemRequest[],
  now: Date,
): Promise<StockChange<ReserveResult>> {
  checkOrderId(orderId);
  const existing = await storedReservation(db, orderId);
  if (existing) return { result: existing, version: undefined };
  const normalized = normalizeItems(items);
  const ids = normalized.map((item) => item.productId);

  // Fail fast without a write when the answer is already clear; the batch re-checks everything atomically.
  const rows = await loadStock(db, ids);
  const priced = priceAgainst(normalized, rows);
  if (!priced.ok) return { result: priced, version: undefined };
  const short = shortOf(normalized, rows);
  if (short.length > 0) {
    return { result: { ok: false, reason: "insufficient_stock", productIds: short }, version: undefined };
  }

  try {
    const version = await takeStock(db, orderId, normalized, now);
    const stored = await storedReservation(db, orderId);
    if (!stored) throw new Error(`reservation ${orderId} missing right after its batch committed`);
    return { result: stored, version };
  } catch (error) {
    // A concurrent reserve of the same order won the header insert: answer what it reserved.
    const winner = await storedReservation(db, orderId);
    if (winner) return { result: winner, version: undefined };
    if (!isConstraintFailure(error)) throw error;
    // Someone took the stock (or changed the product) between our read and the batch: nothing was taken.
    const current = await loadStock(db, ids);
    const again = priceAgainst(normalized, current);
    if (!again.ok) return { result: again, version: undefined };
    const shortNow = shortOf(normalized, current);
    return {
      result: { ok: false, reason: "insufficient_stock", productIds: shortNow.length > 0 ? shortNow : ids },
      version: undefined,
    };
  }
}
