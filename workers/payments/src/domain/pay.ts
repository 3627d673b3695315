import type { Identity } from "@edge-shop/contracts";
import { AppError, errorFields, errors, log } from "@edge-shop/worker-kit";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { claimAttempt } from "../db/queries/payments";
import type { PaymentRow } from "../db/schema";
import { providerFor } from "../provider";
import type { ChargeResult, PaymentProvider } from "../provider/types";
import { recordFailure, recordSuccess, type Transition } from "./settle";

export interface PayInput {
  identity: Identity;
  orderId: string;
  token: string;
  requestId: string;
  /** Stores the request's answer for the attempt as it ends up, in the batch that settles it. */
  answer?: (payment: PaymentRow) => BatchItem<"sqlite"> | undefined;
}

const notPayable = (status: string) =>
  errors.conflict("order_not_payable", `The order is ${status}; only a pending order can be paid`);

async function chargeSafely(
  provider: PaymentProvider,
  payment: PaymentRow,
  token: string,
): Promise<ChargeResult> {
  try {
    return await provider.charge({
      paymentId: payment.id,
      orderId: payment.orderId,
      amount: payment.amount,
      currency: payment.currency,
      token,
      // One provider key per attempt: a retry of this very call can never charge twice.
      idempotencyKey: `payment-${payment.id}`,
    });
  } catch (error) {
    log("error", "payment provider adapter threw", { paymentId: payment.id, ...errorFields(error) });
    return { ok: false, reason: "processing_error", transient: true, providerRef: null };
  }
}

/**
 * Pays a pending order of the caller: the amount comes from the order, the attempt is claimed in D1 before
 * the provider is called (so two concurrent payments cannot both charge), and every attempt is recorded.
 */
export async function pay(env: Env, db: Db, input: PayInput): Promise<PaymentRow> {
  const order = await env.ORDERS.getOrder(input.orderId, input.identity, input.requestId);
  if (!order) throw errors.notFound("Order");
  if (order.status !== "pending") throw notPayable(order.status);
  const provider = providerFor(env);

  const now = Date.now();
  const attempt: PaymentRow = {
    id: crypto.randomUUID(),
    orderId: order.id,
    userId: order.userId,
    status: "processing",
    amount: order.total,
    currency: order.currency,
    failureReason: null,
    provider: provider.name,
    providerRef: null,
    refundRef: null,
    orderConfirmedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const claimed = await claimAttempt(db, attempt);
  if (!claimed.ok) {
    if (claimed.live?.status === "succeeded") throw notPayable("paid");
    throw new AppError(409, "payment_in_progress", "Another payment of this order is in progress", {
      headers: { "retry-after": "1" },
    });
  }

  const result = await chargeSafely(provider, attempt, input.token);
  const t: Transition = {
    from: ["processing"],
    correlationId: input.requestId,
    ...(input.answer ? { answer: input.answer } : {}),
  };
  if (result.ok) {
    return recordSuccess(
      env,
      db,
      { ...attempt, providerRef: result.providerRef },
      order.items,
      t,
      order.breakdown,
    );
  }
  return recordFailure(env, db, { ...attempt, providerRef: result.providerRef }, result.reason, t);
}
