import { errorFields, log } from "@edge-shop/worker-kit";
import Stripe from "stripe";
import { type ChargeOutcome, type ChargeRef, type PaymentProvider, ProviderError } from "./types";

export interface StripeConfig {
  secretKey: string;
  /** The API's base URL: `https://api.stripe.com`, or a mock's. */
  baseUrl: string;
  /** The SDK's HTTP client: fetch by default (tests give a stub, never the network). */
  httpClient?: Stripe.StripeConfig["httpClient"];
  /** The SDK repeats a call on a network error, 409 or 5xx this many times, with the same Idempotency-Key. */
  maxNetworkRetries?: number;
  /** Per call; with the retries, a payment request stays well under a minute (the cron settles after it). */
  timeoutMs?: number;
}

const { errors } = Stripe;

/** The SDK's client for one configuration: fetch in workerd, our base URL, a bounded time per call. */
export function stripeClient(config: StripeConfig): Stripe {
  const url = new URL(config.baseUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return new Stripe(config.secretKey, {
    httpClient: config.httpClient ?? Stripe.createFetchHttpClient(),
    host: url.hostname,
    port: url.port || (protocol === "http" ? 80 : 443),
    protocol,
    maxNetworkRetries: config.maxNetworkRetries ?? 2,
    timeout: config.timeoutMs ?? 10_000,
    telemetry: false,
  });
}

/** What a PaymentIntent's state means for us (table: docs/architecture.md, "Payments"). */
export function outcomeOf(intent: Stripe.PaymentIntent): ChargeOutcome {
  const providerRef = intent.id;
  switch (intent.status) {
    case "succeeded":
      return { status: "succeeded", providerRef };
    case "requires_action": {
      const url = intent.next_action?.redirect_to_url?.url;
      // Only a redirect can be completed without Stripe.js in the page.
      if (url) return { status: "requires_action", providerRef, nextActionUrl: url };
      return { status: "failed", reason: "authentication_required", transient: false, providerRef };
    }
    // Not final yet: `requires_confirmation` while our confirmation may still be on its way.
    case "processing":
    case "requires_confirmation":
    case "requires_capture":
      return { status: "processing", providerRef };
    default: {
      // requires_payment_method (declined, or authentication failed) or canceled.
      const last = intent.last_payment_error;
      const reason =
        last?.code === "payment_intent_authentication_failure"
          ? "authentication_failed"
          : (last?.decline_code ??
            last?.code ??
            (intent.status === "canceled" ? "canceled" : "card_declined"));
      return { status: "failed", reason, transient: false, providerRef };
    }
  }
}

/**
 * The outcome of a call that threw. `charged` says whether the call could have charged (the confirmation):
 * then a lost answer (network, 5xx, a key still in use) is `processing`, not a failure. Before it, nothing was
 * charged and the attempt simply failed, transiently.
 */
export function outcomeOfError(error: unknown, providerRef: string | null, charged: boolean): ChargeOutcome {
  const fail = (reason: string, transient: boolean): ChargeOutcome => ({
    status: "failed",
    reason,
    transient,
    providerRef,
  });
  if (error instanceof errors.StripeCardError) {
    if (error.code === "payment_intent_authentication_failure") return fail("authentication_failed", false);
    return fail(error.decline_code || error.code || "card_declined", false);
  }
  if (error instanceof errors.StripeInvalidRequestError && error.code === "resource_missing") {
    if (error.param?.startsWith("payment_method")) return fail("invalid_token", false);
  }
  if (error instanceof errors.StripeAuthenticationError || error instanceof errors.StripePermissionError) {
    log("error", "payment provider refused our credentials", { status: error.statusCode });
    return fail("provider_error", true);
  }
  // Refused before doing anything: nothing was charged.
  if (error instanceof errors.StripeRateLimitError) return fail("processing_error", true);
  if (error instanceof errors.StripeInvalidRequestError) return fail("invalid_request", false);
  log("warn", "payment provider's answer is unknown", { providerRef, charged, ...errorFields(error) });
  return charged ? { status: "processing", providerRef } : fail("processing_error", true);
}

/**
 * Stripe, through its official SDK. A PaymentIntent is created, then confirmed: its id is known before
 * anything can be charged, so an answer lost during the confirmation leaves an id to ask about (`retrieve`)
 * instead of a charge nobody can find. Both calls carry our idempotency key, so the SDK's retries and ours
 * never charge twice.
 */
export function stripeProvider(config: StripeConfig): PaymentProvider {
  const stripe = stripeClient(config);

  async function settled(ref: string, call: () => Promise<Stripe.PaymentIntent>): Promise<ChargeOutcome> {
    try {
      return outcomeOf(await call());
    } catch (error) {
      return outcomeOfError(error, ref, true);
    }
  }

  return {
    name: "stripe",
    async charge(request) {
      let intent: Stripe.PaymentIntent;
      try {
        intent = await stripe.paymentIntents.create(
          {
            amount: request.amount,
            currency: request.currency.toLowerCase(),
            payment_method: request.token,
            metadata: { payment_id: request.paymentId, order_id: request.orderId },
          },
          { idempotencyKey: request.idempotencyKey },
        );
      } catch (error) {
        return outcomeOfError(error, null, false);
      }
      return settled(intent.id, () =>
        stripe.paymentIntents.confirm(
          intent.id,
          { return_url: request.returnUrl },
          { idempotencyKey: `${request.idempotencyKey}-confirm` },
        ),
      );
    },
    async retrieve(charge: ChargeRef) {
      if (!charge.providerRef) return { status: "processing", providerRef: null };
      const ref = charge.providerRef;
      return settled(ref, () => stripe.paymentIntents.retrieve(ref));
    },
    async cancel(charge: ChargeRef) {
      if (!charge.providerRef) return { status: "processing", providerRef: null };
      const ref = charge.providerRef;
      try {
        return outcomeOf(await stripe.paymentIntents.cancel(ref, { cancellation_reason: "abandoned" }));
      } catch (error) {
        // Completed (or failed) meanwhile: a final state cannot be cancelled; it tells the outcome.
        if (
          error instanceof errors.StripeInvalidRequestError &&
          error.code === "payment_intent_unexpected_state"
        ) {
          return settled(ref, () => stripe.paymentIntents.retrieve(ref));
        }
        return outcomeOfError(error, ref, true);
      }
    },
    async refund(request) {
      if (!request.providerRef) {
        throw new ProviderError(`payment ${request.paymentId} has no provider reference`);
      }
      try {
        const refund = await stripe.refunds.create(
          {
            payment_intent: request.providerRef,
            amount: request.amount,
            metadata: { payment_id: request.paymentId },
          },
          { idempotencyKey: request.idempotencyKey },
        );
        if (refund.status === "failed" || refund.status === "canceled") {
          throw new ProviderError(`refund ${refund.id} ${refund.status}`);
        }
        return { refundRef: refund.id };
      } catch (error) {
        // Refunded before (by us or on the provider's dashboard): the goal is reached.
        if (error instanceof errors.StripeInvalidRequestError && error.code === "charge_already_refunded") {
          return { refundRef: "already_refunded" };
        }
        if (error instanceof ProviderError) throw error;
        const code = error instanceof errors.StripeError ? (error.code ?? error.type) : "unknown";
        throw new ProviderError(`refund refused or not answered: ${code}`, { cause: error });
      }
    },
  };
}
