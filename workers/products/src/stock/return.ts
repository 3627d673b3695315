import type { ItemRequest } from "@edge-shop/contracts";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { bumpCatalogVersion, bumpedListVersion, catalogVersionNow } from "../db/queries/catalog-version";
import { inbox, products, reservationLines, reservations } from "../db/schema";
import { checkOrderId, type StockChange } from "./stored-reservation";

/**
 * Puts returned units of a paid order back in stock, exactly once per `returnId`. The batch's first statement
 * claims the return (an inbox row, written only while the reservation is held and covers every unit, and only
 * once: a nonce of this call marks it ours); every later statement applies only under that claim. The units also
 * leave the order's reservation, so a later release of the order (a cancellation, a full refund) does not give
 * them back a second time. `returned` false: already done, released, or more units than the order holds.
 */
export async function returnUnits(
  db: Db,
  orderId: string,
  returnId: string,
  items: ItemRequest[],
  now: Date,
): Promise<StockChange<{ returned: boolean }>> {
  checkOrderId(orderId);
  const key = `return:${returnId}`;
  const mark = `stock.returned ${crypto.randomUUID()}`;
  const covered = items.map(
    (item) =>
      sql`exists (select 1 from ${reservationLines} where ${reservationLines.orderId} = ${orderId} and ${reservationLines.productId} = ${item.productId} and ${reservationLines.quantity} >= ${item.quantity})`,
  );
  const claim = db
    .insert(inbox)
    .select(
      sql`select ${key}, ${mark}, ${now.getTime()} where exists (select 1 from ${reservations} where ${reservations.orderId} = ${orderId} and ${reservations.status} = 'held') and ${and(...covered)}`,
    )
    .onConflictDoNothing();
  const ours = sql`exists (select 1 from ${inbox} where ${inbox.eventId} = ${key} and ${inbox.type} = ${mark})`;
  const line = (productId: string) =>
    and(eq(reservationLines.orderId, orderId), eq(reservationLines.productId, productId));
  // The lists show a product as sold out (stock 0) until a return brings it back in stock.
  const returnedIds = items.map((item) => item.productId);
  const backInStock = sql`exists (select 1 from ${products} where ${and(inArray(products.id, returnedIds), eq(products.stock, 0))})`;
  const [, bumped, ...rest] = await db.batch([
    claim,
    bumpCatalogVersion(db, ours, backInStock),
    ...items.map((item) =>
      db
        .update(products)
        .set({ stock: sql`${products.stock} + ${item.quantity}`, version: catalogVersionNow() })
        .where(and(eq(products.id, item.productId), ours))
        .returning({ id: products.id, version: products.version }),
    ),
    // All of a line's units back: the line goes (a line holds at least one unit); some: it shrinks.
    ...items.flatMap((item) => [
      db
        .delete(reservationLines)
        .where(and(line(item.productId), eq(reservationLines.quantity, item.quantity), ours)),
      db
        .update(reservationLines)
        .set({ quantity: sql`${reservationLines.quantity} - ${item.quantity}` })
        .where(and(line(item.productId), gte(reservationLines.quantity, item.quantity + 1), ours)),
    ]),
  ]);
  const changed = rest.slice(0, items.length).flat() as { id: string; version: number }[];
  return {
    result: { returned: bumped.length > 0 },
    listVersion: bumpedListVersion(bumped),
    products: changed,
  };
}
