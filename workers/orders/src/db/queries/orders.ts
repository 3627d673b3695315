import type { EventEnvelope, OrderStatus } from "@edge-shop/contracts";
import { and, asc, count, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { SQLiteSelect } from "drizzle-orm/sqlite-core";
import type { Db } from "../client";
import { orderItems, orders, outbox } from "../schema";

export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;
export type OrderRecord = OrderRow & { items: OrderItemRow[] };

/**
 * The inserts of a new order and its lines, for the creating batch, guarded by the user's cap of unpaid orders:
 * each line's `order_id` is read back from the order just inserted, only while the user has at most `maxPending`
 * pending orders (this one included). Beyond, it is NULL, the NOT NULL constraint fails and the whole batch (the
 * order, its outbox row, its idempotent answer) rolls back: D1 runs a batch as one transaction, one at a time, so
 * no number of parallel orders gets past the cap (`isPendingCapRefusal`).
 */
export function insertOrder(db: Db, order: OrderRow, items: OrderItemRow[], maxPending: number) {
  const pending = db
    .select({ one: sql`1` })
    .from(orders)
    .where(and(eq(orders.userId, order.userId), eq(orders.status, "pending")))
    .limit(maxPending + 1);
  const withinCap = sql<string>`(select ${orders.id} from ${orders} where ${orders.id} = ${order.id} and (select count(*) from (${pending})) <= ${maxPending})`;
  return [
    db.insert(orders).values(order),
    db.insert(orderItems).values(items.map((item) => ({ ...item, orderId: withinCap }))),
  ] as const;
}

/** Whether a failed creating batch is the pending-order cap's refusal (see `insertOrder`). */
export function isPendingCapRefusal(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/NOT NULL constraint failed: order_items\.order_id/i.test(e.message)) return true;
  }
  return false;
}

/** One order with its lines, or undefined: one read (the order joined with its lines, a row per line). */
export async function findOrder(db: Db, orderId: string): Promise<OrderRecord | undefined> {
  const rows = await db
    .select({ order: orders, item: orderItems })
    .from(orders)
    .leftJoin(orderItems, eq(orderItems.orderId, orders.id))
    .where(eq(orders.id, orderId))
    .orderBy(asc(orderItems.position));
  const [first] = rows;
  if (!first) return undefined;
  return { ...first.order, items: rows.flatMap((row) => (row.item ? [row.item] : [])) };
}

/**
 * A page of orders, newest first, with their lines and the total; `userId` undefined lists everyone's (admins).
 * One D1 batch (one round trip, one snapshot): the page, the lines of the page's orders (the same ordered,
 * limited selection as a subquery), the count.
 */
export async function listOrders(
  db: Db,
  filter: { userId?: string | undefined; status?: OrderStatus | undefined; page: number; limit: number },
): Promise<{ orders: OrderRecord[]; total: number }> {
  const where = and(
    filter.userId === undefined ? undefined : eq(orders.userId, filter.userId),
    filter.status === undefined ? undefined : eq(orders.status, filter.status),
  );
  const page = <T extends SQLiteSelect>(query: T) =>
    query
      .where(where)
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(filter.limit)
      .offset((filter.page - 1) * filter.limit);
  const [rows, items, totals] = await db.batch([
    page(db.select().from(orders).$dynamic()),
    db
      .select()
      .from(orderItems)
      .where(inArray(orderItems.orderId, page(db.select({ id: orders.id }).from(orders).$dynamic())))
      .orderBy(asc(orderItems.orderId), asc(orderItems.position)),
    db.select({ n: count() }).from(orders).where(where),
  ]);
  const linesOf = new Map<string, OrderItemRow[]>();
  for (const item of items) {
    const lines = linesOf.get(item.orderId);
    if (lines) lines.push(item);
    else linesOf.set(item.orderId, [item]);
  }
  return {
    orders: rows.map((row) => ({ ...row, items: linesOf.get(row.id) ?? [] })),
    total: totals[0]?.n ?? 0,
  };
}

/**
 * The guarded UPDATE of a transition: it changes the row only while it is still `from`, and stamps
 * `transitionId` so statements later in the same batch can tell whether it won (RETURNING is empty if not).
 */
export function transitionOrder(
  db: Db,
  t: {
    orderId: string;
    from: OrderStatus;
    to: OrderStatus;
    transitionId: string;
    now: number;
    paymentId?: string;
  },
) {
  return db
    .update(orders)
    .set({
      status: t.to,
      transitionId: t.transitionId,
      updatedAt: t.now,
      ...(t.paymentId === undefined ? {} : { paymentId: t.paymentId }),
    })
    .where(and(eq(orders.id, t.orderId), eq(orders.status, t.from)))
    .returning({ id: orders.id });
}

/**
 * Outbox rows (one per destination) inserted only if the order's last transition is `transitionId`,
 * i.e. only if the guarded update earlier in the same batch won. Columns in table order, as drizzle requires.
 */
export function outboxIfTransitioned(
  db: Db,
  event: EventEnvelope,
  destinations: string[],
  orderId: string,
  transitionId: string,
) {
  const now = Date.now();
  const body = JSON.stringify(event);
  const selects = destinations.map(
    (destination) =>
      sql`SELECT ${`${event.id}:${destination}`}, ${event.id}, ${destination}, ${body}, ${now}, NULL, 0
          WHERE EXISTS (SELECT 1 FROM ${orders} WHERE ${orders.id} = ${orderId} AND ${orders.transitionId} = ${transitionId})`,
  );
  return db.insert(outbox).select(sql.join(selects, sql` UNION ALL `));
}

/** Pending orders created before `cutoff` (to expire), oldest first. */
export function pendingOlderThan(db: Db, cutoff: number, limit: number) {
  return db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, "pending"), lt(orders.createdAt, cutoff)))
    .orderBy(asc(orders.createdAt))
    .limit(limit);
}

/** Cancelled or refunded orders whose stock has not gone back yet and that changed before `cutoff`. */
export function unreleasedOlderThan(db: Db, cutoff: number, limit: number) {
  return db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        inArray(orders.status, ["cancelled", "refunded"]),
        isNull(orders.stockReleasedAt),
        lt(orders.updatedAt, cutoff),
      ),
    )
    .limit(limit);
}

/** Notes that the order's reserved stock is back at products. */
export function markStockReleased(db: Db, orderId: string) {
  return db.update(orders).set({ stockReleasedAt: Date.now() }).where(eq(orders.id, orderId));
}

/** Every order of a user with its lines, newest first (the export of their data): one read. */
export async function allOrdersOf(db: Db, userId: string): Promise<OrderRecord[]> {
  const rows = await db
    .select({ order: orders, item: orderItems })
    .from(orders)
    .leftJoin(orderItems, eq(orderItems.orderId, orders.id))
    .where(eq(orders.userId, userId))
    .orderBy(desc(orders.createdAt), desc(orders.id), asc(orderItems.position));
  const byId = new Map<string, OrderRecord>();
  for (const { order, item } of rows) {
    const record = byId.get(order.id) ?? { ...order, items: [] };
    if (item) record.items.push(item);
    byId.set(order.id, record);
  }
  return [...byId.values()];
}
