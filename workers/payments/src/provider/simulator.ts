import type { ChargeOutcome, PaymentProvider } from "./types";

// The test tokens of DESIGN.md, in the style of well-known providers. Any other token is `invalid_token`.
const OUTCOMES: Record<string, { reason: string; transient: boolean } | null> = {
  tok_visa: null,
  tok_chargeDeclined: { reason: "card_declined", transient: false },
  tok_insufficientFunds: { reason: "insufficient_funds", transient: false },
  tok_processingError: { reason: "processing_error", transient: true },
};
const THREE_D_SECURE = "tok_threeDSecure2Required";

/** The simulator's authentication page of a payment (served by payments, see routes/simulator.ts). */
export const SIMULATOR_AUTH_PATH = "/api/payments/simulator/3ds";

export const simulatorIntentId = (paymentId: string) => `pi_sim_${paymentId}`;

/**
 * The local, deterministic provider (the default): no network, outcome chosen by the token. It keeps no state
 * of its own: a card to authenticate is waiting as long as our payment `requires_action`, and the page that
 * completes it sends the signed webhook a provider would.
 */
export function simulatorProvider(): PaymentProvider {
  return {
    name: "simulator",
    async charge(request): Promise<ChargeOutcome> {
      const providerRef = simulatorIntentId(request.paymentId);
      if (request.token === THREE_D_SECURE) {
        const page = new URL(
          `${SIMULATOR_AUTH_PATH}/${encodeURIComponent(request.paymentId)}`,
          request.returnUrl,
        );
        return { status: "requires_action", providerRef, nextActionUrl: page.toString() };
      }
      if (!Object.hasOwn(OUTCOMES, request.token)) {
        return { status: "failed", reason: "invalid_token", transient: false, providerRef: null };
      }
      const failure = OUTCOMES[request.token];
      return failure ? { status: "failed", ...failure, providerRef } : { status: "succeeded", providerRef };
    },
    // It answers every charge at once: one it never answered (the request died) stays unknown.
    async retrieve(charge) {
      return { status: "processing", providerRef: charge.providerRef };
    },
    async cancel(charge) {
      return { status: "failed", reason: "canceled", transient: false, providerRef: charge.providerRef };
    },
    async refund(request) {
      return { refundRef: `re_sim_${request.paymentId}` };
    },
  };
}
