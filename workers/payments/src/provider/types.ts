/** What a charge asks of a provider: the amount always comes from the order. */
export interface ChargeRequest {
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  token: string;
  /** Sent to the provider so a retried call cannot charge twice. */
  idempotencyKey: string;
}

/**
 * A charge's outcome. `transient` failures (the provider had a problem, not the card) are safe to retry
 * with a new attempt; `providerRef` is the provider's id of the charge when it has one.
 */
export type ChargeResult =
  | { ok: true; providerRef: string }
  | { ok: false; reason: string; transient: boolean; providerRef: string | null };

export interface RefundRequest {
  paymentId: string;
  providerRef: string | null;
  amount: number;
  currency: string;
  idempotencyKey: string;
}

/** A payment provider: the simulator, or a real one over HTTP. */
export interface PaymentProvider {
  readonly name: string;
  /** Never throws: every failure is a result, so every attempt can be recorded. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Refunds the whole charge; idempotent per `idempotencyKey`. Throws when the refund did not happen. */
  refund(request: RefundRequest): Promise<{ refundRef: string }>;
}

/** A refund the provider refused or could not do; callers retry (queue) or report it. */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
}
