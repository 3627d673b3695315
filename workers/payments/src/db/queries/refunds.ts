import { and, asc, eq, ne, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { payments, type RefundLineRow, type RefundRow, refundLines, refunds } from "../schema";

/** Units of each product of an order returned so far (refunds not failed). */
export async function returnedUnits(db: Db, orderId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ productId: refundLines.productId, units: sql<number>`sum(${refundLines.quantity})` })
    .from(refundLines)
    .innerJoin(refunds, eq(refunds.id, refundLines.refundId))
    .where(and(eq(refundLines.orderId, orderId), ne(refunds.status, "failed")))
    .groupBy(refundLines.productId);
  return new Map(rows.map((row) => [row.productId, Number(row.units)]));
}

/** Minor units of the payment's refunds still with the provider (reserved, not recorded yet). */
export async function pendingRefunds(db: Db, paymentId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${refunds.amount}), 0)` })
    .from(refunds)
    .where(and(eq(refunds.paymentId, paymentId), eq(refunds.status, "pending")));
  return Number(row?.total ?? 0);
}

const unitsReturned = (orderId: string, productId: string): SQL =>
  sql`(select coalesce(sum(rl.quantity), 0) from ${refundLines} rl join ${refunds} r on r.id = rl.refund_id where rl.order_id = ${orderId} and rl.product_id = ${productId} and r.status != 'failed')`;

/**
 * Reserves a refund in one batch: the row is written only while the payment is `succeeded` and what is left of
 * its capture (minus the refunds still pending) covers the amount, and while each returned line still has the
 * units returned before as this request read them (a concurrent return of the same line makes it try again, so
 * the shares add up). D1 runs batches one at a time: refunds running at once never exceed the capture. The lines
 * follow only if the refund was written. True when reserved.
 */
export async function reserveRefund(
  db: Db,
  refund: RefundRow,
  lines: (Omit<RefundLineRow, "refundId" | "orderId"> & { before: number })[],
): Promise<boolean> {
  const left = sql`(select ${payments.amount} - ${payments.amountRefunded} from ${payments} where ${payments.id} = ${refund.paymentId} and ${payments.status} = 'succeeded') - (select coalesce(sum(${refunds.amount}), 0) from ${refunds} where ${refunds.paymentId} = ${refund.paymentId} and ${refunds.status} = 'pending')`;
  const unchanged = lines.map(
    (line) => sql` and ${unitsReturned(refund.orderId, line.productId)} = ${line.before}`,
  );
  const insert = db
    .insert(refunds)
    .select(
      sql`select ${refund.id}, ${refund.paymentId}, ${refund.orderId}, ${refund.amount}, ${refund.currency}, ${refund.restock ? 1 : 0}, ${refund.reason}, 'pending', null, ${refund.createdAt}, ${refund.updatedAt} where ${left} >= ${refund.amount}${sql.join(unchanged)}`,
    )
    .returning({ id: refunds.id });
  const written = sql`exists (select 1 from ${refunds} where ${refunds.id} = ${refund.id})`;
  const lineInserts = lines.map((line) =>
    db
      .insert(refundLines)
      .select(
        sql`select ${refund.id}, ${refund.orderId}, ${line.productId}, ${line.quantity}, ${line.amount} where ${written}`,
      ),
  );
  const [inserted] = await db.batch([insert, ...lineInserts]);
  return inserted.length > 0;
}

/** A pending refund's end: `failed` (its amount is free again) or `succeeded` with the provider's id. */
export function settleRefund(
  db: Db,
  id: string,
  change: Pick<RefundRow, "status" | "providerRef">,
  when?: SQL,
) {
  return db
    .update(refunds)
    .set({ ...change, updatedAt: Date.now() })
    .where(and(eq(refunds.id, id), eq(refunds.status, "pending"), when));
}

export async function findRefund(db: Db, id: string): Promise<RefundRow | undefined> {
  return db.select().from(refunds).where(eq(refunds.id, id)).get();
}

/** The returned lines of one refund. */
export function linesOfRefund(db: Db, refundId: string): Promise<RefundLineRow[]> {
  return db.select().from(refundLines).where(eq(refundLines.refundId, refundId));
}

/** The refunds of an order with their lines, oldest first. */
export async function refundsOfOrder(db: Db, orderId: string) {
  const [rows, lines] = await Promise.all([
    db.select().from(refunds).where(eq(refunds.orderId, orderId)).orderBy(asc(refunds.createdAt)),
    db.select().from(refundLines).where(eq(refundLines.orderId, orderId)),
  ]);
  return rows.map((row) => ({ ...row, lines: lines.filter((line) => line.refundId === row.id) }));
}
