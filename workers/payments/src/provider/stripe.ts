import { errorFields, log, sleep } from "@edge-shop/worker-kit";
import { type ChargeResult, type PaymentProvider, ProviderError } from "./types";

export interface StripeConfig {
  /** e.g. `https://api.stripe.com`; no trailing slash needed. */
  baseUrl: string;
  secretKey: string;
  /** Calls on network errors, 429 and 5xx are repeated this many times in all (same Idempotency-Key). */
  maxAttempts?: number;
  retryDelayMs?: number;
}

interface ProviderErrorBody {
  type?: string;
  code?: string;
  decline_code?: string;
  param?: string;
  message?: string;
  payment_intent?: { id?: string };
}

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: ProviderErrorBody };
}

/** Form-encodes flat and one-level nested fields the way the provider expects (`metadata[order_id]=…`). */
export function formEncode(fields: Record<string, string | number | boolean | Record<string, string>>) {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) form.append(`${name}[${key}]`, inner);
    } else {
      form.append(name, String(value));
    }
  }
  return form;
}

const retryable = (status: number) => status === 429 || status >= 500;

/**
 * A provider speaking a PaymentIntent-style HTTP API (Stripe's shape): form-encoded POSTs with a bearer
 * secret key and an `Idempotency-Key`, so a repeated call (our retry, or a replay) never charges twice.
 */
export function stripeProvider(config: StripeConfig): PaymentProvider {
  const base = config.baseUrl.replace(/\/+$/, "");
  const maxAttempts = config.maxAttempts ?? 2;

  // Returns the provider's answer, or null when it never answered usefully (network error, 429, 5xx).
  async function post(path: string, form: URLSearchParams, idempotencyKey: string): Promise<Answer | null> {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        const response = await fetch(`${base}${path}`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${config.secretKey}`,
            "content-type": "application/x-www-form-urlencoded",
            "idempotency-key": idempotencyKey,
          },
          body: form.toString(),
        });
        const body = (await response.json().catch(() => ({}))) as Answer["body"];
        if (!retryable(response.status)) return { status: response.status, body };
        log("warn", "payment provider answered an error", { path, status: response.status, attempt });
      } catch (error) {
        log("warn", "payment provider unreachable", { path, attempt, ...errorFields(error) });
      }
      if (attempt < maxAttempts) await sleep(config.retryDelayMs ?? 200);
    }
    return null;
  }

  return {
    name: "stripe",
    async charge(request): Promise<ChargeResult> {
      const form = formEncode({
        amount: request.amount,
        currency: request.currency.toLowerCase(),
        payment_method: request.token,
        "payment_method_types[]": "card",
        confirm: true,
        metadata: { payment_id: request.paymentId, order_id: request.orderId },
      });
      const answer = await post("/v1/payment_intents", form, request.idempotencyKey);
      if (!answer) return { ok: false, reason: "processing_error", transient: true, providerRef: null };
      return chargeResultOf(answer);
    },
    async refund(request) {
      if (!request.providerRef)
        throw new ProviderError(`payment ${request.paymentId} has no provider reference`);
      const form = formEncode({
        payment_intent: request.providerRef,
        metadata: { payment_id: request.paymentId },
      });
      const answer = await post("/v1/refunds", form, request.idempotencyKey);
      if (!answer) throw new ProviderError("the payment provider did not answer the refund");
      const { status, body } = answer;
      // Refunded before (by us or on the provider's dashboard): the goal is reached.
      if (body.error?.code === "charge_already_refunded") return { refundRef: "already_refunded" };
      if (
        status >= 300 ||
        typeof body.id !== "string" ||
        ["failed", "canceled"].includes(String(body.status))
      ) {
        throw new ProviderError(`refund refused: ${status} ${body.error?.code ?? String(body.status)}`);
      }
      return { refundRef: body.id };
    },
  };
}

/** Maps the provider's answer to a charge to our outcome (table: docs/architecture.md, "Payments"). */
export function chargeResultOf({ status, body }: Answer): ChargeResult {
  const error = body.error;
  if (status >= 200 && status < 300) {
    const providerRef = typeof body.id === "string" ? body.id : null;
    if (body.status === "succeeded" && providerRef) return { ok: true, providerRef };
    if (body.status === "requires_action") {
      return { ok: false, reason: "authentication_required", transient: false, providerRef };
    }
    if (body.status === "processing") {
      // Not final: the webhook tells the outcome later (see webhook.ts); the client may retry meanwhile.
      return { ok: false, reason: "processing_error", transient: true, providerRef };
    }
    const last = body.last_payment_error as ProviderErrorBody | undefined;
    return {
      ok: false,
      reason: last?.decline_code ?? last?.code ?? "card_declined",
      transient: false,
      providerRef,
    };
  }
  const providerRef = error?.payment_intent?.id ?? null;
  if (status === 402 || error?.type === "card_error") {
    return {
      ok: false,
      reason: error?.decline_code ?? error?.code ?? "card_declined",
      transient: false,
      providerRef,
    };
  }
  if (error?.code === "resource_missing" && error.param?.startsWith("payment_method")) {
    return { ok: false, reason: "invalid_token", transient: false, providerRef };
  }
  if (status === 401 || status === 403) {
    log("error", "payment provider refused our credentials", { status });
    return { ok: false, reason: "provider_error", transient: true, providerRef };
  }
  if (error?.type === "idempotency_error") {
    return { ok: false, reason: "processing_error", transient: true, providerRef };
  }
  return { ok: false, reason: "invalid_request", transient: false, providerRef };
}
