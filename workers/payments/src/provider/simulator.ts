import type { ChargeResult, PaymentProvider } from "./types";

// The test tokens of DESIGN.md, in the style of well-known providers. Any other token is `invalid_token`.
const OUTCOMES: Record<string, { reason: string; transient: boolean } | null> = {
  tok_visa: null,
  tok_chargeDeclined: { reason: "card_declined", transient: false },
  tok_insufficientFunds: { reason: "insufficient_funds", transient: false },
  tok_processingError: { reason: "processing_error", transient: true },
};

/** The local, deterministic provider (the default): no network, no state, outcome chosen by the token. */
export function simulatorProvider(): PaymentProvider {
  return {
    name: "simulator",
    async charge(request): Promise<ChargeResult> {
      const providerRef = `pi_sim_${request.paymentId}`;
      if (!Object.hasOwn(OUTCOMES, request.token)) {
        return { ok: false, reason: "invalid_token", transient: false, providerRef: null };
      }
      const failure = OUTCOMES[request.token];
      return failure ? { ok: false, ...failure, providerRef } : { ok: true, providerRef };
    },
    async refund(request) {
      return { refundRef: `re_sim_${request.paymentId}` };
    },
  };
}
