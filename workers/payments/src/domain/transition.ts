import { type OutboxedEvent, outboxInsertWhen } from "@edge-shop/worker-kit";
import type { SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { findPayment, type PaymentChange, transitioned, transitionUpdate } from "../db/queries/payments";
import type { PaymentRow, PaymentRowStatus } from "../db/schema";

/** Where a payment comes from, and what commits only with its change (a webhook or event id, the answer). */
export interface Transition {
  from: PaymentRowStatus[];
  correlationId: string;
  /** Records what the change applies (a webhook id, an inbox row), while `when` (the change won) holds. */
  remember?: (when: SQL) => BatchItem<"sqlite">;
  /**
   * Stores the request's answer (the Idempotency-Key's replay) for the payment as it ends up; with `when`, only
   * if the change won. The caller then answers exactly that payment.
   */
  answer?: (payment: PaymentRow, when?: SQL) => BatchItem<"sqlite"> | undefined;
}

/** A transition's result: `won` false when another writer changed the payment first (nothing of ours committed). */
export interface Settled {
  won: boolean;
  payment: PaymentRow;
}

export const present = (items: (BatchItem<"sqlite"> | undefined)[]) =>
  items.filter((item): item is BatchItem<"sqlite"> => item !== undefined);

/** Runs the statements as one batch, if there are any. */
export async function runBatch(db: Db, items: (BatchItem<"sqlite"> | undefined)[]): Promise<void> {
  const [first, ...rest] = present(items);
  if (first) await db.batch([first, ...rest]);
}

/**
 * One guarded change of a payment in one batch: the update (while the payment is in `t.from`, and its refunded
 * amount still `refundedWas`), then its event's outbox rows, what it applies and its answer, each only if the
 * update won. So of a webhook, the refund consumer and a request racing on one payment, only the winner
 * announces the change, once. Returns the payment as it is after, or undefined if it lost.
 */
export async function applyChange(
  db: Db,
  payment: PaymentRow,
  t: Transition,
  change: PaymentChange,
  options: { event?: OutboxedEvent; refundedWas?: number; answer?: boolean } = {},
): Promise<PaymentRow | undefined> {
  const { event } = options;
  const transitionId = event?.event.id ?? crypto.randomUUID();
  const when = transitioned(payment.id, transitionId);
  const next: PaymentRow = { ...payment, ...change, transitionId, updatedAt: Date.now() };
  const [update, ...rest] = [
    transitionUpdate(db, payment.id, t.from, change, transitionId, options.refundedWas),
    ...(event && event.destinations.length > 0
      ? [outboxInsertWhen(db, event.event, event.destinations, when)]
      : []),
    ...present([t.remember?.(when), options.answer === false ? undefined : t.answer?.(next, when)]),
  ];
  const [won] = await db.batch([update, ...rest]);
  return won.length > 0 ? next : undefined;
}

/** The payment as another writer left it (our change lost), with the request's answer stored for it. */
export async function asItIs(db: Db, payment: PaymentRow, t: Transition): Promise<Settled> {
  const now = await findPayment(db, payment.id);
  if (!now) throw new Error(`payment ${payment.id} vanished`);
  await runBatch(db, [t.answer?.(now)]);
  return { won: false, payment: now };
}
