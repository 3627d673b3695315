// Provider webhooks signed as Stripe signs them, for the tests (workerd and the e2e suite in Node): the SDK's own
// test signer, so a fixture verifies exactly when a real Stripe delivery would.
import Stripe from "stripe";

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** A `Stripe-Signature` header value (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`) for `body`. */
export function signWebhook(body: string, secret: string, timestamp?: number): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload: body,
    secret,
    cryptoProvider,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
}
