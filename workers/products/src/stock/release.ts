import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { bumpCatalogVersion, bumpedListVersion, catalogVersionNow } from "../db/queries/catalog-version";
import { products, reservationLines, reservations } from "../db/schema";
import { checkOrderId, type StockChange } from "./stored-reservation";

/**
 * Gives a reservation's stock back exactly once. One batch (one transaction): the stock returns only while
 * the reservation is still `held`, and the same batch flips it to `released`; D1 runs batches one at a time,
 * so a second or concurrent call finds it released and changes nothing. Unknown orders are a no-op.
 * The catalog version is bumped first, so the stock update can set each product's version to it.
 */
export async function releaseStock(
  db: Db,
  orderId: string,
  now: Date,
): Promise<StockChange<{ released: boolean }>> {
  checkOrderId(orderId);
  const held = sql`exists (select 1 from ${reservations} where ${reservations.orderId} = ${orderId} and ${reservations.status} = 'held')`;
  const reserved = sql`(select ${reservationLines.quantity} from ${reservationLines} where ${reservationLines.orderId} = ${orderId} and ${reservationLines.productId} = ${products.id})`;
  const reservedProducts = db
    .select({ id: reservationLines.productId })
    .from(reservationLines)
    .where(eq(reservationLines.orderId, orderId));
  // The lists show a product as sold out (stock 0) until a release brings one of the order's back in stock.
  const backInStock = sql`exists (select 1 from ${products} where ${and(inArray(products.id, reservedProducts), eq(products.stock, 0))})`;
  // Bump, then stock (and each product's version, to the bumped catalog version), then the flip: the first two
  // are guarded by `held`, which the flip ends.
  const [bumped, changed, flipped] = await db.batch([
    bumpCatalogVersion(db, held, backInStock),
    db
      .update(products)
      .set({ stock: sql`${products.stock} + ${reserved}`, version: catalogVersionNow() })
      .where(and(inArray(products.id, reservedProducts), held))
      .returning({ id: products.id, version: products.version }),
    db
      .update(reservations)
      .set({ status: "released", releasedAt: now })
      .where(and(eq(reservations.orderId, orderId), eq(reservations.status, "held")))
      .returning({ orderId: reservations.orderId }),
  ]);
  return {
    result: { released: flipped.length > 0 },
    listVersion: bumpedListVersion(bumped),
    products: changed,
  };
}
