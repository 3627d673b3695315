import type { PricedItem, ReserveResult } from "@edge-shop/contracts";
import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import type { CatalogChange } from "../db/queries/catalog-version";
import { reservationLines } from "../db/schema";
import { totalOf } from "./items";

/**
 * What changed stock: the result for the caller, the list version the change moved to (if it did) and the new
 * versions of the products whose stock it changed.
 */
export interface StockChange<T> extends CatalogChange {
  result: T;
}

/** A reservation line as stored (and as the reserve batch returns it). */
export interface ReservedLine {
  productId: string;
  name: string;
  unitPrice: number;
  currency: string;
  quantity: number;
}

/** The answer for a reservation's lines (in position order); undefined when there are none. */
export function reservationOf(lines: ReservedLine[]): Extract<ReserveResult, { ok: true }> | undefined {
  const [first] = lines;
  if (!first) return undefined;
  const items: PricedItem[] = lines.map((line) => ({
    productId: line.productId,
    name: line.name,
    unitPrice: line.unitPrice,
    currency: line.currency,
    quantity: line.quantity,
    lineTotal: line.unitPrice * line.quantity,
  }));
  return { ok: true, items, total: totalOf(items), currency: first.currency };
}

/** The lines of an order's reservation, in position order (run alone or inside a batch). */
export function reservationLinesOf(db: Db, orderId: string) {
  return db
    .select({
      productId: reservationLines.productId,
      name: reservationLines.name,
      unitPrice: reservationLines.unitPrice,
      currency: reservationLines.currency,
      quantity: reservationLines.quantity,
    })
    .from(reservationLines)
    .where(eq(reservationLines.orderId, orderId))
    .orderBy(asc(reservationLines.position));
}

/** The result the first successful reserve of this order answered, rebuilt from its stored lines. */
export async function storedReservation(db: Db, orderId: string): Promise<ReserveResult | undefined> {
  return reservationOf(await reservationLinesOf(db, orderId));
}

/** Rejects order ids no order could have (orders passes its own opaque ids). */
export function checkOrderId(orderId: string): void {
  if (typeof orderId !== "string" || orderId.length === 0 || orderId.length > 200) {
    throw new RangeError("orderId must be a non-empty string of at most 200 characters");
  }
}
