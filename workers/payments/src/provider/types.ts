/** What a charge asks of a provider: the amount always comes from the order. */
export interface ChargeRequest {
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  token: string;
  /** Sent to the provider so a retried call cannot charge twice. */
  idempotencyKey: string;
  /** Where the customer's browser comes back after authenticating the card (3-D Secure). */
  returnUrl: string;
}

/**
 * What the provider says about a charge. `transient` failures (the provider had a problem, not the card) are
 * safe to retry with a new attempt. `processing` is not a failure: the outcome is not known yet (the provider is
 * still working, or its answer was lost), so the attempt keeps the order until it is settled.
 */
export type ChargeOutcome =
  | { status: "succeeded"; providerRef: string }
  | { status: "failed"; reason: string; transient: boolean; providerRef: string | null }
  | { status: "requires_action"; providerRef: string; nextActionUrl: string }
  | { status: "processing"; providerRef: string | null };

/** A charge the provider already knows of. */
export interface ChargeRef {
  paymentId: string;
  providerRef: string | null;
}

export interface RefundRequest extends ChargeRef {
  /** Minor units to give back: all that is left, or part of it. */
  amount: number;
  currency: string;
  idempotencyKey: string;
}

/** A payment provider: the simulator, or Stripe through its SDK. */
export interface PaymentProvider {
  readonly name: string;
  /** Never throws: every outcome is a result, so every attempt can be recorded. */
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** The charge as the provider sees it now; `processing` when it cannot tell yet. Never throws. */
  retrieve(charge: ChargeRef): Promise<ChargeOutcome>;
  /**
   * Gives up a charge still waiting (an authentication never finished): afterwards it can no longer succeed.
   * Returns its final state (`succeeded` if it was completed meanwhile); `processing` when that is not known.
   */
  cancel(charge: ChargeRef): Promise<ChargeOutcome>;
  /** Refunds `amount` of the charge; idempotent per `idempotencyKey`. Throws when the refund did not happen. */
  refund(request: RefundRequest): Promise<{ refundRef: string }>;
}

/** A refund the provider refused or could not do; callers retry (queue) or report it. */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
}
