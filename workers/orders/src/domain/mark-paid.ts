import type { EventEnvelope, OrderStatus } from "@edge-shop/contracts";
import { inbox, log, recordOrder } from "@edge-shop/worker-kit";
import { and, eq, exists, notExists, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { orders } from "../db/schema";
import { SERVICE } from "./events";

export type PaidResult = { status: OrderStatus; paymentId: string | null } | null;

const orderExists = (db: Db, orderId: string) =>
  exists(db.select({ one: sql`1` }).from(orders).where(eq(orders.id, orderId)));

/** The inbox row of a consumed event, only for an order we know (an unknown one is retried, then dead-lettered). */
export function rememberFor(db: Db, event: EventEnvelope, orderId: string, now: number) {
  return db
    .insert(inbox)
    .select(sql`select ${event.id}, ${event.type}, ${now} where ${orderExists(db, orderId)}`)
    .onConflictDoNothing()
    .returning({ eventId: inbox.eventId });
}

const processed = (db: Db, eventId: string) =>
  db.select({ one: sql`1` }).from(inbox).where(eq(inbox.eventId, eventId));

/** Statements for one shared D1 batch, and how to read their results (the slice of the batch's that is theirs). */
export interface Plan<T> {
  statements: BatchItem<"sqlite">[];
  read(results: unknown[]): T;
}

/**
 * pending → paid for `paymentId`, as statements of ONE batch: the guarded update (pending only, so a second call
 * or a late event changes nothing), then the order's status as it now is. An order that is no longer pending is
 * left alone: the answer tells payments what happened (e.g. `cancelled`: refund the charge; `paid` by another
 * payment id: refund this one). Null when the order does not exist.
 *
 * Given the consumed `event`, its inbox row joins the batch: inserted only if the order exists (an unknown
 * order is retried, then dead-lettered), and the update applies only if the event was not processed before.
 */
export function markPaidPlan(
  db: Db,
  orderId: string,
  paymentId: string,
  event?: EventEnvelope,
): Plan<PaidResult> {
  const now = Date.now();
  const pending = and(eq(orders.id, orderId), eq(orders.status, "pending"));
  const update = db
    .update(orders)
    .set({ status: "paid", paymentId, transitionId: event?.id ?? crypto.randomUUID(), updatedAt: now })
    .where(event ? and(pending, notExists(processed(db, event.id))) : pending)
    .returning({ total: orders.total, currency: orders.currency });
  const current = db
    .select({ status: orders.status, paymentId: orders.paymentId })
    .from(orders)
    .where(eq(orders.id, orderId));
  const remember = event ? rememberFor(db, event, orderId, now) : undefined;
  type Won = { total: number; currency: string }[];
  type Current = { status: OrderStatus; paymentId: string | null }[];
  return {
    statements: remember ? [update, remember, current] : [update, current],
    read(results) {
      // A synchronous call has no inbox row: it is always the first time.
      const firstTime = remember ? (results[1] as unknown[]).length > 0 : true;
      return paidResult(orderId, paymentId, results[0] as Won, results.at(-1) as Current, firstTime);
    },
  };
}

function paidResult(
  orderId: string,
  paymentId: string,
  won: { total: number; currency: string }[],
  rows: { status: OrderStatus; paymentId: string | null }[],
  firstTime: boolean,
): PaidResult {
  const [row] = rows;
  if (!row) return null;
  const [paid] = won;
  if (paid) {
    recordOrder("paid", { amount: paid.total, currency: paid.currency });
    return { status: "paid", paymentId };
  }
  // A redelivered event changed nothing and says nothing new.
  if (firstTime && row.paymentId !== paymentId) {
    log("warn", "payment for an order that is no longer pending", {
      service: SERVICE,
      orderId,
      paymentId,
      status: row.status,
    });
  }
  return row;
}

/** Runs the plans in one D1 batch; answers each plan's reading of its own results. */
export async function runTogether<T>(db: Db, plans: Plan<T>[]): Promise<T[]> {
  const [first, ...rest] = plans.flatMap((p) => p.statements);
  if (!first) return [];
  const results: unknown[] = await db.batch([first, ...rest]);
  let at = 0;
  return plans.map((plan) => {
    const mine = results.slice(at, at + plan.statements.length);
    at += plan.statements.length;
    return plan.read(mine);
  });
}

/** Marks the order paid by `paymentId` (the payments service's synchronous call): one batch. */
export async function markPaid(db: Db, orderId: string, paymentId: string): Promise<PaidResult> {
  const [result] = await runTogether(db, [markPaidPlan(db, orderId, paymentId)]);
  return result ?? null;
}
