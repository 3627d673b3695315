import type { EventDataOf, EventEnvelope } from "@edge-shop/contracts";
import { publishCommitted, recordPayment } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import type { PaymentRow } from "../db/schema";
import { providerFor } from "../provider";
import { destinations, moneyOf, outboxed } from "./events";
import { applyChange, asItIs, type Settled, type Transition } from "./transition";

/**
 * Refunds `amount` of a charge (by default all that is left) through the provider that made it (idempotent
 * there per key), then records it. Throws when the provider did not refund.
 */
export async function refundPayment(
  env: Env,
  db: Db,
  payment: PaymentRow,
  t: Transition,
  options: { amount?: number; idempotencyKey?: string } = {},
): Promise<Settled> {
  const amount = options.amount ?? payment.amount - payment.amountRefunded;
  const provider = providerFor(env, payment.provider);
  const { refundRef } = await provider.refund({
    paymentId: payment.id,
    providerRef: payment.providerRef,
    amount,
    currency: payment.currency,
    // The refund that follows what was refunded so far: a repeat of it is the same refund at the provider.
    idempotencyKey: options.idempotencyKey ?? `refund-${payment.id}-${payment.amountRefunded}`,
  });
  return recordRefund(env, db, { ...payment, refundRef }, payment.amountRefunded + amount, t);
}

/** What a refund asked for through the API adds to its event: its id, the returned lines, the restock. */
export type RefundDetails = Pick<EventDataOf<"payment.refunded">, "refundId" | "items" | "restock">;

/**
 * Records that the provider has given back `refundedTotal` of the charge in all (a webhook's
 * `amount_refunded`, or ours after a refund call), with a `payment.refunded` event for what this adds. All of
 * it refunded: the payment is `refunded`. Less: a partial refund, the payment stays `succeeded` and its order
 * keeps its status. Guarded by the amount it read, so two writers recording the same refund (its webhook and
 * the request that made it) announce it once; a total already reached records nothing.
 */
export async function recordRefund(
  env: Env,
  db: Db,
  payment: PaymentRow,
  refundedTotal: number,
  t: Transition,
  refund: RefundDetails = {},
): Promise<Settled & { event?: EventEnvelope<"payment.refunded"> }> {
  const total = Math.min(refundedTotal, payment.amount);
  const full = total >= payment.amount;
  const added = total - payment.amountRefunded;
  const published = outboxed(
    "payment.refunded",
    { ...moneyOf(payment), amount: added, amountRefunded: total, partial: !full, ...refund },
    t.correlationId,
  );
  const change = {
    ...(full ? { status: "refunded" as const } : {}),
    amountRefunded: total,
    refundRef: payment.refundRef,
    providerRef: payment.providerRef,
  };
  const won =
    added > 0 &&
    (await applyChange(db, payment, t, change, { event: published, refundedWas: payment.amountRefunded }));
  if (!won) return asItIs(db, payment, t);
  await publishCommitted(db, destinations(env), [published]);
  recordPayment("refunded", { ...payment, amount: added });
  return { won: true, payment: won, event: published.event as EventEnvelope<"payment.refunded"> };
}
