import type { EventEnvelope, OrderStatus } from "@edge-shop/contracts";
import { type EventOutcome, inbox, log, recordOrder } from "@edge-shop/worker-kit";
import { and, eq, exists, notExists, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { orders } from "../db/schema";
import { SERVICE } from "./events";

export type PaidResult = { status: OrderStatus; paymentId: string | null } | null;

const orderExists = (db: Db, orderId: string) =>
  exists(db.select({ one: sql`1` }).from(orders).where(eq(orders.id, orderId)));

/** Statements for one shared D1 batch, and how to read their results (the slice of the batch's that is theirs). */
interface Plan<T> {
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
function markPaidPlan(db: Db, orderId: string, paymentId: string, event?: EventEnvelope): Plan<PaidResult> {
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
  const remember = event
    ? db
        .insert(inbox)
        .select(sql`select ${event.id}, ${event.type}, ${now} where ${orderExists(db, orderId)}`)
        .onConflictDoNothing()
        .returning({ eventId: inbox.eventId })
    : undefined;
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
async function runTogether<T>(db: Db, plans: Plan<T>[]): Promise<T[]> {
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

const processed = (db: Db, eventId: string) =>
  db.select({ one: sql`1` }).from(inbox).where(eq(inbox.eventId, eventId));

/** What applying a payment event does, as a plan: its outcome (an error to retry the event's message). */
function paymentEventPlan(db: Db, event: EventEnvelope): Plan<EventOutcome> {
  switch (event.type) {
    case "payment.succeeded": {
      const plan = markPaidPlan(db, event.data.orderId, event.data.paymentId, event);
      return {
        statements: plan.statements,
        read: (results) =>
          plan.read(results) === null
            ? // A payment for an order we do not know is a bug upstream: retry, then the DLQ keeps it for a human.
              { ok: false, error: new Error(`payment.succeeded for unknown order ${event.data.orderId}`) }
            : { ok: true },
      };
    }
    default: {
      // payment.failed: the order stays pending for another attempt (or expiry), only the delivery is recorded.
      // Other events are not ours to act on; recording them makes a redelivery cheap.
      const remember = db
        .insert(inbox)
        .values({ eventId: event.id, type: event.type, processedAt: Date.now() })
        .onConflictDoNothing()
        .returning({ eventId: inbox.eventId });
      return {
        statements: [remember],
        read(results) {
          const firstTime = (results[0] as unknown[]).length > 0;
          if (firstTime && event.type === "payment.failed") {
            log("info", "payment failed; order stays pending", {
              service: SERVICE,
              orderId: event.data.orderId,
              reason: event.data.reason,
            });
          }
          return { ok: true };
        },
      };
    }
  }
}

/**
 * The `payment-events` consumer: applies each event once (inbox, in the same batch as its effect). A queue
 * batch's events go to D1 in ONE batch (statements run in order in one transaction, so two copies or two
 * payments of one order see each other as they would one by one); an event that fails (an unknown order) is
 * retried on its own. A `payment.succeeded` comes here only when payments' synchronous `markPaid` did not get
 * an answer (or after a crash, from its outbox sweep): then it is what makes the order paid.
 */
export async function applyPaymentEvents(
  db: Db,
  events: EventEnvelope[],
): Promise<Map<string, EventOutcome>> {
  const outcomes = await runTogether(
    db,
    events.map((event) => paymentEventPlan(db, event)),
  );
  return new Map(events.map((event, i) => [event.id, outcomes[i] ?? { ok: true }]));
}

/** One payment event on its own (the fallback when a batch of them fails): throws what must be retried. */
export async function handlePaymentEvent(db: Db, event: EventEnvelope): Promise<void> {
  const outcome = (await applyPaymentEvents(db, [event])).get(event.id);
  if (outcome && !outcome.ok) throw outcome.error;
}
