import type { PricedItem, ReserveResult } from "@edge-shop/contracts";
import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { reservationLines } from "../db/schema";
import { totalOf } from "./items";

/** What changed stock: the result for the caller and the catalog version the change committed, if any. */
export interface StockChange<T> {
  result: T;
  version: number | undefined;
}

/** The result the first successful reserve of this order answered, rebuilt from its stored lines. */
export async function storedReservation(db: Db, orderId: string): Promise<ReserveResult | undefined> {
  const lines = await db
    .select()
    .from(reservationLines)
    .where(eq(reservationLines.orderId, orderId))
    .orderBy(asc(reservationLines.position));
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

/** Rejects order ids no order could have (orders passes its own opaque ids). */
export function checkOrderId(orderId: string): void {
  if (typeof orderId !== "string" || orderId.length === 0 || orderId.length > 200) {
    throw new RangeError("orderId must be a non-empty string of at most 200 characters");
  }
}
