import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/app";
import { stripeProvider } from "../src/provider/stripe";
import { ProviderError } from "../src/provider/types";
import { attemptsOf, cardBody, seedOrder, userHeaders } from "./helpers";

const BASE = "https://provider.test";

interface Seen {
  url: string;
  method: string;
  headers: Headers;
  form: URLSearchParams;
}

/**
 * Stubs globalThis.fetch with scripted answers for the provider's paths; any other request, or one more
 * than scripted, fails the test.
 */
function stubProvider(answers: Record<string, (Response | Error)[]>) {
  const seen: Seen[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    seen.push({
      url: request.url,
      method: request.method,
      headers: request.headers,
      form: new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())),
    });
    const next = url.origin === BASE ? answers[url.pathname]?.shift() : undefined;
    if (!next) throw new Error(`unexpected outbound request ${request.method} ${request.url}`);
    if (next instanceof Error) throw next;
    return next;
  });
  return seen;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const provider = () => stripeProvider({ baseUrl: `${BASE}/`, secretKey: "sk_test_123", retryDelayMs: 0 });
const charge = {
  paymentId: "pay_1",
  orderId: "ord_1",
  amount: 2500,
  currency: "USD",
  token: "pm_card_visa",
  idempotencyKey: "payment-pay_1",
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("PaymentIntent HTTP adapter: charge", () => {
  it("posts a form-encoded, confirmed PaymentIntent with the key and Idempotency-Key", async () => {
    const seen = stubProvider({ "/v1/payment_intents": [json(200, { id: "pi_123", status: "succeeded" })] });
    expect(await provider().charge(charge)).toEqual({ ok: true, providerRef: "pi_123" });
    expect(seen).toHaveLength(1);
    const [call] = seen;
    expect(call?.url).toBe(`${BASE}/v1/payment_intents`);
    expect(call?.method).toBe("POST");
    expect(call?.headers.get("authorization")).toBe("Bearer sk_test_123");
    expect(call?.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(call?.headers.get("idempotency-key")).toBe("payment-pay_1");
    expect(Object.fromEntries(call?.form ?? [])).toEqual({
      amount: "2500",
      currency: "usd",
      payment_method: "pm_card_visa",
      "payment_method_types[]": "card",
      confirm: "true",
      "metadata[payment_id]": "pay_1",
      "metadata[order_id]": "ord_1",
    });
  });

  it.each([
    [
      "a 402 card error with a decline code",
      json(402, {
        error: {
          type: "card_error",
          code: "card_declined",
          decline_code: "insufficient_funds",
          payment_intent: { id: "pi_9" },
        },
      }),
      { ok: false, reason: "insufficient_funds", transient: false, providerRef: "pi_9" },
    ],
    [
      "a 402 card error without a decline code",
      json(402, { error: { type: "card_error", code: "expired_card" } }),
      { ok: false, reason: "expired_card", transient: false, providerRef: null },
    ],
    [
      "an intent left requiring a payment method",
      json(200, {
        id: "pi_8",
        status: "requires_payment_method",
        last_payment_error: { code: "card_declined" },
      }),
      { ok: false, reason: "card_declined", transient: false, providerRef: "pi_8" },
    ],
    [
      "an intent requiring 3-D Secure",
      json(200, { id: "pi_7", status: "requires_action" }),
      { ok: false, reason: "authentication_required", transient: false, providerRef: "pi_7" },
    ],
    [
      "an unknown payment method",
      json(400, {
        error: { type: "invalid_request_error", code: "resource_missing", param: "payment_method" },
      }),
      { ok: false, reason: "invalid_token", transient: false, providerRef: null },
    ],
    [
      "rejected credentials",
      json(401, { error: { type: "invalid_request_error", message: "Invalid API Key" } }),
      { ok: false, reason: "provider_error", transient: true, providerRef: null },
    ],
    [
      "another invalid request",
      json(400, { error: { type: "invalid_request_error", code: "parameter_invalid_integer" } }),
      { ok: false, reason: "invalid_request", transient: false, providerRef: null },
    ],
  ])("maps %s", async (_name, answer, expected) => {
    stubProvider({ "/v1/payment_intents": [answer] });
    expect(await provider().charge(charge)).toEqual(expected);
  });

  it("retries a 5xx once with the same Idempotency-Key, then succeeds", async () => {
    const seen = stubProvider({
      "/v1/payment_intents": [
        json(500, { error: { type: "api_error" } }),
        json(200, { id: "pi_r", status: "succeeded" }),
      ],
    });
    expect(await provider().charge(charge)).toEqual({ ok: true, providerRef: "pi_r" });
    expect(seen.map((s) => s.headers.get("idempotency-key"))).toEqual(["payment-pay_1", "payment-pay_1"]);
  });

  it("reports processing_error (transient) when the provider keeps failing or is unreachable", async () => {
    stubProvider({ "/v1/payment_intents": [json(503, {}), new TypeError("network down")] });
    expect(await provider().charge(charge)).toEqual({
      ok: false,
      reason: "processing_error",
      transient: true,
      providerRef: null,
    });
  });
});

describe("PaymentIntent HTTP adapter: refund", () => {
  const refund = {
    paymentId: "pay_1",
    providerRef: "pi_123",
    amount: 2500,
    currency: "USD",
    idempotencyKey: "refund-pay_1",
  };

  it("posts the PaymentIntent to /v1/refunds with the refund's Idempotency-Key", async () => {
    const seen = stubProvider({ "/v1/refunds": [json(200, { id: "re_1", status: "succeeded" })] });
    expect(await provider().refund(refund)).toEqual({ refundRef: "re_1" });
    expect(seen[0]?.headers.get("idempotency-key")).toBe("refund-pay_1");
    expect(seen[0]?.form.get("payment_intent")).toBe("pi_123");
  });

  it("treats an already refunded charge as done", async () => {
    stubProvider({
      "/v1/refunds": [
        json(400, { error: { type: "invalid_request_error", code: "charge_already_refunded" } }),
      ],
    });
    expect(await provider().refund(refund)).toEqual({ refundRef: "already_refunded" });
  });

  it("throws when the refund is refused or the provider is down", async () => {
    stubProvider({
      "/v1/refunds": [json(400, { error: { code: "amount_too_large" } }), json(500, {}), json(500, {})],
    });
    await expect(provider().refund(refund)).rejects.toBeInstanceOf(ProviderError);
    await expect(provider().refund(refund)).rejects.toBeInstanceOf(ProviderError);
  });
});

describe("POST /api/payments with PAYMENT_PROVIDER=stripe", () => {
  it("charges the order's amount through the HTTP provider and records its PaymentIntent id", async () => {
    const order = await seedOrder({ total: 999, currency: "GBP" });
    const seen = stubProvider({
      "/v1/payment_intents": [json(200, { id: "pi_route", status: "succeeded" })],
    });
    const stripeEnv = {
      ...env,
      PAYMENT_PROVIDER: "stripe",
      PAYMENT_PROVIDER_URL: BASE,
      PAYMENT_PROVIDER_SECRET: "sk_test_9",
    };
    const ctx = createExecutionContext();
    const response = await app.fetch(
      new Request("http://payments/api/payments", {
        method: "POST",
        headers: await userHeaders(order.userId, "user", {
          "content-type": "application/json",
          "idempotency-key": "k-stripe",
        }),
        body: JSON.stringify({ ...cardBody(order.id, "pm_card_visa"), amount: 1 }),
      }),
      stripeEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(201);
    expect(seen.map((s) => [s.form.get("amount"), s.form.get("currency")])).toEqual([["999", "gbp"]]);
    const [row] = await attemptsOf(order.id);
    expect(row).toMatchObject({ status: "succeeded", provider: "stripe", providerRef: "pi_route" });
    expect(seen[0]?.headers.get("idempotency-key")).toBe(`payment-${row?.id}`);
  });
});
