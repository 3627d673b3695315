import type { EventEnvelope, Identity, Order } from "@edge-shop/contracts";
import { AppError, errorFields, errors, log } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { findPayment, listForOrder } from "../db/queries/payments";
import {
  findRefund,
  linesOfRefund,
  pendingRefunds,
  reserveRefund,
  returnedUnits,
  settleRefund,
} from "../db/queries/refunds";
import type { RefundRow } from "../db/schema";
import { providerFor } from "../provider";
import { moneyOf, outboxed } from "./events";
import { type RefundDetails, recordRefund } from "./refund";
import { goodsPart, lineShares, returnedShare } from "./refund-shares";

export interface RefundInput {
  identity: Identity;
  orderId: string;
  /** Derived from the caller and the Idempotency-Key: a retry resumes the same refund. */
  refundId: string;
  amount?: number;
  items?: { productId: string; quantity: number }[];
  restock: boolean;
  reason: string;
  requestId: string;
}

export interface RefundLine {
  productId: string;
  quantity: number;
  amount: number;
}

export interface RefundResult {
  refund: RefundRow & { lines: RefundLine[] };
  order: Order;
}

const REFUNDABLE = new Set(["paid", "shipped", "delivered"]);
const notRefundable = (status: string) =>
  errors.conflict("order_not_refundable", `The order is ${status}; only a paid order can be refunded`);
const tooMuch = (left: number) =>
  errors.conflict("refund_exceeds_remaining", `At most ${left} (minor units) is left to refund`);

/**
 * Refunds part or all of a paid order: an amount, or returned lines (their share of what was charged), never
 * more than what is left of the payment's capture (payments' own record). The refund is reserved first, then
 * the provider refunds it (idempotent per refund), then the payment records it with its `payment.refunded`
 * event, which orders applies at once (refunded total, status, restock) and again from its queue (once).
 */
export async function refundOrder(env: Env, db: Db, input: RefundInput): Promise<RefundResult> {
  const existing = await findRefund(db, input.refundId);
  const refund = existing ?? (await reserve(env, db, input));
  if (refund.status === "failed") throw refundFailed();
  const lines = (await linesOfRefund(db, refund.id)).map(({ productId, quantity, amount }) => ({
    productId,
    quantity,
    amount,
  }));
  const details: RefundDetails = {
    refundId: refund.id,
    restock: refund.restock,
    ...(lines.length > 0 ? { items: lines.map(({ productId, quantity }) => ({ productId, quantity })) } : {}),
  };
  const done =
    refund.status === "succeeded"
      ? { row: refund, event: await eventAgain(db, refund, details, input.requestId) }
      : await refundAtProvider(env, db, refund, details, input);
  const order = await env.ORDERS.applyRefund(done.event);
  return { refund: { ...done.row, lines }, order };
}

/**
 * A retry of a refund recorded already (its answer was lost): the same facts in a new event for orders, whose
 * effects are idempotent (the refunded total is a maximum, the status change guarded, the restock once per
 * refund id). Not published: the original event is in the outbox already.
 */
async function eventAgain(db: Db, refund: RefundRow, details: RefundDetails, correlationId: string) {
  const payment = await findPayment(db, refund.paymentId);
  if (!payment) throw new Error(`payment ${refund.paymentId} vanished`);
  const data = {
    ...moneyOf(payment),
    amount: refund.amount,
    amountRefunded: payment.amountRefunded,
    partial: payment.status !== "refunded",
    ...details,
  };
  return outboxed("payment.refunded", data, correlationId).event as EventEnvelope<"payment.refunded">;
}

function refundFailed() {
  return new AppError(502, "refund_failed", "The payment provider did not refund; nothing was refunded");
}

/** The refund reserved against the capture, with its lines (a concurrent return of a line: computed again). */
async function reserve(env: Env, db: Db, input: RefundInput): Promise<RefundRow> {
  const order = await env.ORDERS.getOrder(input.orderId, input.identity, input.requestId);
  if (!order) throw errors.notFound("Order");
  if (!REFUNDABLE.has(order.status)) throw notRefundable(order.status);
  for (let attempt = 0; attempt < 5; attempt++) {
    const payment = (await listForOrder(db, order.id)).find((p) => p.status === "succeeded");
    if (!payment) throw notRefundable(order.status);
    const left = payment.amount - payment.amountRefunded - (await pendingRefunds(db, payment.id));
    const shares = lineShares(order.items, goodsPart(payment.amount, order.breakdown));
    const returned = await returnedUnits(db, order.id);
    const lines = (input.items ?? []).map((item) => {
      const at = order.items.findIndex((line) => line.productId === item.productId);
      const bought = order.items[at];
      if (!bought) throw new AppError(422, "unknown_line", `Product ${item.productId} is not in the order`);
      const before = returned.get(item.productId) ?? 0;
      if (before + item.quantity > bought.quantity) {
        throw errors.conflict(
          "refund_exceeds_remaining",
          `Only ${bought.quantity - before} unit(s) of ${item.productId} are left to return`,
        );
      }
      const amount = returnedShare(shares[at] ?? 0, bought.quantity, before, item.quantity);
      return { productId: item.productId, quantity: item.quantity, amount, before };
    });
    const amount = input.items ? lines.reduce((sum, line) => sum + line.amount, 0) : (input.amount ?? left);
    if (amount <= 0 || amount > left) throw tooMuch(left);
    const now = Date.now();
    const row: RefundRow = {
      id: input.refundId,
      paymentId: payment.id,
      orderId: order.id,
      amount,
      currency: payment.currency,
      restock: input.restock,
      reason: input.reason,
      status: "pending",
      providerRef: null,
      createdAt: now,
      updatedAt: now,
    };
    if (await reserveRefund(db, row, lines)) return row;
    // Lost to another refund of the order (or a retry of this one): read again.
    const mine = await findRefund(db, input.refundId);
    if (mine) return mine;
  }
  throw errors.conflict("refund_in_progress", "Other refunds of this order kept changing it; try again");
}

/** The provider refunds the reserved amount (a retry is the same refund there), then the payment records it. */
async function refundAtProvider(
  env: Env,
  db: Db,
  refund: RefundRow,
  details: RefundDetails,
  input: RefundInput,
) {
  const payment = await findPayment(db, refund.paymentId);
  if (!payment) throw new Error(`payment ${refund.paymentId} vanished`);
  let refundRef: string;
  try {
    ({ refundRef } = await providerFor(env, payment.provider).refund({
      paymentId: payment.id,
      providerRef: payment.providerRef,
      amount: refund.amount,
      currency: refund.currency,
      idempotencyKey: `refund-${refund.id}`,
    }));
  } catch (error) {
    log("warn", "refund refused by the provider", { refundId: refund.id, ...errorFields(error) });
    await settleRefund(db, refund.id, { status: "failed", providerRef: null });
    throw refundFailed();
  }
  // Recorded against the payment as it is now: another refund recorded meanwhile makes this one read again.
  for (let attempt = 0; attempt < 10; attempt++) {
    const now = await findPayment(db, refund.paymentId);
    if (!now) break;
    const recorded = await recordRefund(
      env,
      db,
      { ...now, refundRef },
      now.amountRefunded + refund.amount,
      {
        from: ["succeeded"],
        correlationId: input.requestId,
        remember: (when) =>
          settleRefund(db, refund.id, { status: "succeeded", providerRef: refundRef }, when),
      },
      details,
    );
    if (recorded.won && recorded.event) {
      return {
        row: { ...refund, status: "succeeded" as const, providerRef: refundRef },
        event: recorded.event,
      };
    }
  }
  throw new Error(`refund ${refund.id} could not be recorded`);
}
