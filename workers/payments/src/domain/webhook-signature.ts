import { AppError } from "@edge-shop/worker-kit";
import Stripe from "stripe";

/** Webhooks signed longer ago than this are refused, so a captured one cannot be replayed. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;
export const SIGNATURE_HEADER = "stripe-signature";

// WebCrypto: the SDK's Node crypto is not in workerd. One provider for the isolate (it holds no state).
const cryptoProvider = Stripe.createSubtleCryptoProvider();

/**
 * Checks `Stripe-Signature` (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, several v1 while a
 * secret rolls) with the official SDK, which compares in constant time and refuses timestamps older than the
 * tolerance. Throws a 401 problem for a missing, malformed, stale or wrong signature, a 400 for a signed body
 * that is not JSON.
 */
export async function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
): Promise<void> {
  if (!header) throw new AppError(401, "invalid_signature", "The Stripe-Signature header is missing");
  try {
    await Stripe.webhooks.constructEventAsync(
      rawBody,
      header,
      secret,
      WEBHOOK_TOLERANCE_SECONDS,
      cryptoProvider,
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      // The SDK checks the signature first: a stale timestamp is reported only for a genuine signature.
      if (error.message.startsWith("Timestamp outside the tolerance zone")) {
        throw new AppError(
          401,
          "stale_signature",
          "The webhook timestamp is older than the 5 minute tolerance",
        );
      }
      throw new AppError(401, "invalid_signature", "The webhook signature does not verify");
    }
    if (error instanceof SyntaxError) throw new AppError(400, "malformed_json", "The event is not JSON");
    throw error;
  }
}
