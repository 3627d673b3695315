import type { Identity } from "@edge-shop/contracts";
import { AppError, errorFields, errors, log } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { claimAttempt } from "../db/queries/payments";
import type { PaymentRow } from "../db/schema";
import { providerFor } from "../provider";
import type { ChargeOutcome, ChargeRequest, PaymentProvider } from "../provider/types";
import { recordFailure, recordRequiresAction, recordSuccess, recordUnknown } from "./settle";
import type { Transition } from "./transition";

export interface PayInput {
  identity: Identity;
  orderId: string;
  token: string;
  requestId: string;
  /** The shop's origin as the customer reached it: the browser comes back there after authenticating. */
  origin: string;
  /** Stores the request's answer for the attempt as it ends up, in the batch that settles it. */
  answer?: Transition["answer"];
}

/** Where the customer's browser lands after authenticating a payment: its order, in the storefront. */
export const returnPath = (payment: Pick<PaymentRow, "id" | "orderId">) =>
  `/#/orders/${encodeURIComponent(payment.orderId)}?payment=${encodeURIComponent(payment.id)}`;

const notPayable = (status: string) =>
  errors.conflict("order_not_payable", `The order is ${status}; only a pending order can be paid`);

async function chargeSafely(provider: PaymentProvider, request: ChargeRequest): Promise<ChargeOutcome> {
  try {
    return await provider.charge(request);
  } catch (error) {
    // Adapters never throw; one that did may have charged: unknown, not failed.
    log("error", "payment provider adapter threw", { paymentId: request.paymentId, ...errorFields(error) });
    return { status: "processing", providerRef: null };
  }
}

/**
 * Pays a pending order of the caller: the amount comes from the order, the attempt is claimed in D1 before
 * the provider is called (so two concurrent payments cannot both charge), and every attempt is recorded. An
 * attempt whose outcome is not known yet keeps the order (`processing`) until it is settled.
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
    amountRefunded: 0,
    nextActionUrl: null,
    transitionId: null,
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

  const result = await chargeSafely(provider, {
    paymentId: attempt.id,
    orderId: attempt.orderId,
    amount: attempt.amount,
    currency: attempt.currency,
    token: input.token,
    // One provider key per attempt: a retry of this very call can never charge twice.
    idempotencyKey: `payment-${attempt.id}`,
    returnUrl: new URL(returnPath(attempt), input.origin).toString(),
  });
  const charged = { ...attempt, providerRef: result.providerRef };
  const t: Transition = {
    from: ["processing"],
    correlationId: input.requestId,
    ...(input.answer ? { answer: input.answer } : {}),
  };
  switch (result.status) {
    case "succeeded":
      return (await recordSuccess(env, db, charged, order, t)).payment;
    case "failed":
      return (await recordFailure(env, db, charged, result.reason, t)).payment;
    case "requires_action":
      return (await recordRequiresAction(db, charged, result.nextActionUrl, t)).payment;
    case "processing":
      return (await recordUnknown(db, charged, t)).payment;
  }
}
