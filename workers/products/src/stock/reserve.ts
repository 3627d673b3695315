import type { ItemRequest, ReserveResult } from "@edge-shop/contracts";
import { and, eq, gte, isNull, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import {
  bumpCatalogVersion,
  bumpedListVersion,
  type CatalogChange,
  catalogVersionNow,
  type ProductVersion,
} from "../db/queries/catalog-version";
import { products, reservationLines, reservations } from "../db/schema";
import { byId, normalizeItems, overLimitOf, priceAgainst, type StockRow, stockQuery } from "./items";
import {
  checkOrderId,
  type ReservedLine,
  reservationLinesOf,
  reservationOf,
  type StockChange,
} from "./stored-reservation";

/** How long a reservation holds stock before orders' sweep asks about its order (RESERVATION_HOLD_SECONDS). */
export const DEFAULT_HOLD_MS = 5 * 60_000;

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
    or(isNull(products.maxPerOrder), gte(products.maxPerOrder, item.quantity)),
  ) as SQL;
}

// A scalar sub-select that is NULL unless the product exists, is active, has the quantity in stock and allows
// that many in one order (maxPerOrder), and (when `currencyOf` is given) is sold in the same currency as that
// product: one order, one currency.
function ifAvailable(column: SQLiteColumn, item: ItemRequest, currencyOf?: string): SQL {
  const sameCurrency =
    currencyOf === undefined
      ? undefined
      : sql`${products.currency} = (select ${products.currency} from ${products} where ${eq(products.id, currencyOf)})`;
  return sql`(select ${column} from ${products} where ${and(available(item), sameCurrency)})`;
}

// Whether taking `items` sells a product out: its stock is exactly the quantity taken (checked before the
// updates; if one of them is then refused, the whole batch rolls back, bump included).
function sellsOut(items: ItemRequest[]): SQL {
  const hitsZero = or(
    ...items.map((item) => and(eq(products.id, item.productId), eq(products.stock, item.quantity))),
  );
  return sql`exists (select 1 from ${products} where ${hitsZero})`;
}

const lineColumns = {
  productId: reservationLines.productId,
  name: reservationLines.name,
  unitPrice: reservationLines.unitPrice,
  currency: reservationLines.currency,
  quantity: reservationLines.quantity,
};

/**
 * Takes the stock of every item in ONE D1 batch, which D1 runs as a single transaction: any failing
 * statement rolls back all of them. Per item, first the reservation line is inserted with its NOT NULL
 * name/price/currency filled from `ifAvailable`: when the product is missing, inactive, short or over its
 * per-order limit, or sold in another currency than the first item, the value is NULL, the NOT NULL constraint
 * fails and the whole batch (header, earlier lines, earlier stock updates, version bump) is undone. Then the
 * guarded `UPDATE … WHERE stock >= ?` takes the stock; within the same transaction it therefore always touches
 * exactly the row just checked, and the CHECK (stock >= 0) on products is the last line of defence. The
 * header insert fails on a duplicate orderId, which makes a repeated or concurrent second reserve of the same
 * order roll back entirely too. The inserted lines come back (`returning`): they are the answer.
 */
export async function takeStock(
  db: Db,
  orderId: string,
  items: ItemRequest[],
  now: Date,
  expiresAt = now.getTime() + DEFAULT_HOLD_MS,
): Promise<{ lines: ReservedLine[] } & CatalogChange> {
  const first = items[0]?.productId;
  const perItem = items.flatMap((item, position) => [
    db
      .insert(reservationLines)
      .values({
        orderId,
        productId: item.productId,
        position,
        quantity: item.quantity,
        name: ifAvailable(products.name, item),
        unitPrice: ifAvailable(products.price, item),
        currency: ifAvailable(products.currency, item, position === 0 ? undefined : first),
      })
      .returning(lineColumns),
    db
      .update(products)
      .set({ stock: sql`${products.stock} - ${item.quantity}`, version: catalogVersionNow() })
      .where(available(item))
      .returning({ id: products.id, version: products.version }),
  ]);
  // The bump comes before every stock update: each sets its product's version to the bumped catalog version,
  // and the lists' version moves only if a product is about to sell out (its stock is exactly what is taken).
  const [, bumped, ...rest] = await db.batch([
    db.insert(reservations).values({ orderId, status: "held", createdAt: now, expiresAt }),
    bumpCatalogVersion(db, undefined, sellsOut(items)),
    ...perItem,
  ]);
  // Results alternate line insert (its returned row), stock update (the product's new version).
  const lines = rest.filter((_, i) => i % 2 === 0).flatMap((rows) => rows as ReservedLine[]);
  const changed = rest.filter((_, i) => i % 2 === 1).flatMap((rows) => rows as ProductVersion[]);
  return { lines, listVersion: bumpedListVersion(bumped), products: changed };
}

// The answer of a reserve that changed nothing (a repeat or a refusal).
function unchanged(result: ReserveResult): StockChange<ReserveResult> {
  return { result, listVersion: undefined, products: [] };
}

function isConstraintFailure(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/constraint failed/i.test(e.message)) return true;
  }
  return false;
}

/**
 * Reserves every item or none, idempotent per orderId: a repeated call answers the first call's result
 * without taking stock again. Prices are read from D1 and recorded with the reservation. The hold expires at
 * `now + holdMs`: orders' sweep then asks whether its order exists (see `expiredHolds`).
 *
 * The happy path is ONE D1 call: no idempotency read and no pre-check, straight to `takeStock`, whose
 * batch itself refuses everything a reservation can be refused for (a repeated orderId, a missing, inactive
 * or short product, mixed currencies) and returns the lines it recorded. Only when it fails does one read
 * batch (the stored lines and the products' current rows) decide the answer: the first call's result for a
 * repeat, else why the items cannot be reserved, in `priceAgainst`'s order (not found, inactive, mixed
 * currency), then the per-order limit, then short stock.
 */
export async function reserveStock(
  db: Db,
  orderId: string,
  items: ItemRequest[],
  now: Date,
  holdMs = DEFAULT_HOLD_MS,
): Promise<StockChange<ReserveResult>> {
  checkOrderId(orderId);
  const normalized = normalizeItems(items);
  const ids = normalized.map((item) => item.productId);
  try {
    const {
      lines,
      listVersion,
      products: changed,
    } = await takeStock(db, orderId, normalized, now, now.getTime() + holdMs);
    const result = reservationOf(lines);
    if (!result) throw new Error(`reservation ${orderId} returned no lines`);
    return { result, listVersion, products: changed };
  } catch (error) {
    // Nothing was taken. A repeat (or a concurrent reserve of the same order that won the header insert)
    // answers what the first one reserved.
    const [stored, rows] = await db.batch([reservationLinesOf(db, orderId), stockQuery(db, ids)]);
    const first = reservationOf(stored);
    if (first) return unchanged(first);
    if (!isConstraintFailure(error)) throw error;
    const current = byId(rows);
    const refused = priceAgainst(normalized, current);
    if (!refused.ok) return unchanged(refused);
    const overLimit = overLimitOf(normalized, current);
    if (overLimit.length > 0) {
      return unchanged({ ok: false, reason: "max_per_order", productIds: overLimit });
    }
    // Short now, or the product changed between the batch and this read: nothing was taken either way.
    const short = shortOf(normalized, current);
    return unchanged({
      ok: false,
      reason: "insufficient_stock",
      productIds: short.length > 0 ? short : ids,
    });
  }
}
