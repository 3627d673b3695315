import Stripe from "stripe";
import type { PaymentRow } from "../db/schema";
import { simulatorIntentId } from "./simulator";

export type AuthenticationOutcome = "complete" | "fail";

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/**
 * The webhook a provider sends when a card's authentication ends, in Stripe's format and signed the same way
 * (the SDK's signer, the endpoint's secret): `payment_intent.succeeded`, or `payment_intent.payment_failed`
 * with Stripe's code for a failed authentication. One event id per payment and outcome, so a second press of
 * the same button is a redelivery.
 */
export async function authenticationWebhook(
  payment: PaymentRow,
  outcome: AuthenticationOutcome,
  secret: string,
): Promise<{ payload: string; signature: string }> {
  const completed = outcome === "complete";
  const event = {
    id: `evt_sim_${payment.id}_${outcome}`,
    object: "event",
    type: completed ? "payment_intent.succeeded" : "payment_intent.payment_failed",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: simulatorIntentId(payment.id),
        object: "payment_intent",
        amount: payment.amount,
        currency: payment.currency.toLowerCase(),
        status: completed ? "succeeded" : "requires_payment_method",
        metadata: { payment_id: payment.id, order_id: payment.orderId },
        last_payment_error: completed
          ? null
          : {
              type: "card_error",
              code: "payment_intent_authentication_failure",
              message: "The card's authentication failed.",
            },
      },
    },
  };
  const payload = JSON.stringify(event);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, cryptoProvider });
  return { payload, signature };
}
