import { describe, expect, it } from "vitest";
import { stripeProvider } from "../src/provider/stripe";
import type { ChargeRequest } from "../src/provider/types";
import { ProviderError } from "../src/provider/types";
import { FakeStripe } from "./fake-stripe";

const adapter = (fake: FakeStripe, maxNetworkRetries = 1) =>
  stripeProvider({
    baseUrl: "https://api.stripe.test",
    secretKey: "sk_test_123",
    httpClient: fake.client,
    maxNetworkRetries,
  });

const charge = (token = "pm_card_visa"): ChargeRequest => ({
  paymentId: "pay_1",
  orderId: "ord_1",
  amount: 2500,
  currency: "USD",
  token,
  idempotencyKey: `payment-${crypto.randomUUID()}`,
  returnUrl: "https://shop.test/#/orders/ord_1?payment=pay_1",
});

describe("Stripe adapter (the official SDK over a stubbed HTTP client): charge", () => {
  it("creates a PaymentIntent for the order's amount with our ids, then confirms it, both with our key", async () => {
    const fake = new FakeStripe();
    const request = charge();
    const outcome = await adapter(fake).charge(request);
    expect(outcome).toEqual({ status: "succeeded", providerRef: "pi_fake_1" });
    expect(fake.requests.map((r) => [r.method, r.path, r.idempotencyKey])).toEqual([
      ["POST", "/v1/payment_intents", request.idempotencyKey],
      ["POST", "/v1/payment_intents/pi_fake_1/confirm", `${request.idempotencyKey}-confirm`],
    ]);
    expect(Object.fromEntries(fake.requests[0]?.form ?? [])).toEqual({
      amount: "2500",
      currency: "usd",
      payment_method: "pm_card_visa",
      "metadata[payment_id]": "pay_1",
      "metadata[order_id]": "ord_1",
    });
    expect(fake.requests[1]?.form.get("return_url")).toBe(request.returnUrl);
    expect(fake.charges()).toHaveLength(1);
  });

  it("a 500, then the same call succeeds: the SDK's retry carries the same Idempotency-Key", async () => {
    const fake = new FakeStripe().fail(/confirm$/, "500");
    const request = charge();
    expect(await adapter(fake).charge(request)).toEqual({ status: "succeeded", providerRef: "pi_fake_1" });
    const confirms = fake.requests.filter((r) => r.path.endsWith("/confirm"));
    expect(confirms.map((r) => r.idempotencyKey)).toEqual([
      `${request.idempotencyKey}-confirm`,
      `${request.idempotencyKey}-confirm`,
    ]);
    expect(fake.charges()).toHaveLength(1);
  });

  it("an answer lost once is recovered by the retry with the same key: one charge", async () => {
    const fake = new FakeStripe().fail(/confirm$/, "lost");
    expect(await adapter(fake).charge(charge())).toEqual({ status: "succeeded", providerRef: "pi_fake_1" });
    expect(fake.requests.filter((r) => r.path.endsWith("/confirm"))).toHaveLength(2);
    expect(fake.charges()).toHaveLength(1);
  });

  it("an answer that never comes after the confirmation is `processing` with the intent's id, not a failure", async () => {
    const fake = new FakeStripe().fail(/confirm$/, "lost").fail(/confirm$/, "network");
    const provider = adapter(fake);
    expect(await provider.charge(charge())).toEqual({ status: "processing", providerRef: "pi_fake_1" });
    // It did charge: asking for the PaymentIntent tells.
    expect(await provider.retrieve({ paymentId: "pay_1", providerRef: "pi_fake_1" })).toEqual({
      status: "succeeded",
      providerRef: "pi_fake_1",
    });
    expect(fake.charges()).toHaveLength(1);
  });

  it("no answer to the creation: nothing was charged, a transient failure", async () => {
    const fake = new FakeStripe().fail(/payment_intents$/, "network", 2);
    expect(await adapter(fake).charge(charge())).toEqual({
      status: "failed",
      reason: "processing_error",
      transient: true,
      providerRef: null,
    });
    expect(fake.charges()).toHaveLength(0);
  });

  it("an intent still processing at the provider is `processing`", async () => {
    const fake = new FakeStripe();
    expect(await adapter(fake).charge(charge("pm_card_processing"))).toEqual({
      status: "processing",
      providerRef: "pi_fake_1",
    });
  });

  it("3-D Secure: `requires_action` with the provider's redirect URL", async () => {
    const fake = new FakeStripe();
    expect(await adapter(fake).charge(charge("pm_card_threeDSecure2Required"))).toEqual({
      status: "requires_action",
      providerRef: "pi_fake_1",
      nextActionUrl: "https://hooks.stripe.test/3ds/pi_fake_1",
    });
    expect(fake.charges()).toHaveLength(0);
  });

  it.each([
    ["a decline with a decline code", "pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds"],
    ["a generic decline", "pm_card_chargeDeclined", "generic_decline"],
    ["an unknown payment method", "pm_card_nope", "invalid_token"],
  ])("maps %s", async (_name, token, reason) => {
    const outcome = await adapter(new FakeStripe()).charge(charge(token));
    expect(outcome).toMatchObject({ status: "failed", reason, transient: false });
  });

  it.each([
    [
      "rejected credentials (401)",
      { status: 401, error: { type: "invalid_request_error", message: "Invalid API Key" } },
      "provider_error",
      true,
    ],
    [
      "a refused permission (403)",
      { status: 403, error: { type: "invalid_request_error", message: "no" } },
      "provider_error",
      true,
    ],
    [
      "a rate limit (429)",
      { status: 429, error: { type: "invalid_request_error" } },
      "processing_error",
      true,
    ],
    [
      "another invalid request",
      { status: 400, error: { type: "invalid_request_error", code: "parameter_invalid_integer" } },
      "invalid_request",
      false,
    ],
  ])("maps %s to our failure reasons", async (_name, fault, reason, transient) => {
    const fake = new FakeStripe().fail(/payment_intents$/, fault);
    expect(await adapter(fake, 0).charge(charge())).toEqual({
      status: "failed",
      reason,
      transient,
      providerRef: null,
    });
  });
});

describe("Stripe adapter: retrieve, cancel", () => {
  it("an authentication never finished is cancelled; one finished meanwhile answers succeeded", async () => {
    const fake = new FakeStripe();
    const provider = adapter(fake);
    await provider.charge(charge("pm_card_threeDSecure2Required"));
    await provider.charge({ ...charge("pm_card_threeDSecure2Required"), paymentId: "pay_2" });
    expect(await provider.cancel({ paymentId: "pay_1", providerRef: "pi_fake_1" })).toMatchObject({
      status: "failed",
      reason: "canceled",
    });
    fake.authenticate("pi_fake_2", true);
    expect(await provider.cancel({ paymentId: "pay_2", providerRef: "pi_fake_2" })).toEqual({
      status: "succeeded",
      providerRef: "pi_fake_2",
    });
  });

  it("a failed authentication reads as authentication_failed", async () => {
    const fake = new FakeStripe();
    const provider = adapter(fake);
    await provider.charge(charge("pm_card_threeDSecure2Required"));
    fake.authenticate("pi_fake_1", false);
    expect(await provider.retrieve({ paymentId: "pay_1", providerRef: "pi_fake_1" })).toMatchObject({
      status: "failed",
      reason: "authentication_failed",
    });
  });

  it("cannot ask about a charge without a reference, or while the provider is unreachable", async () => {
    const fake = new FakeStripe().fail(/pi_fake_1$/, "network", 2);
    const provider = adapter(fake);
    expect(await provider.retrieve({ paymentId: "x", providerRef: null })).toEqual({
      status: "processing",
      providerRef: null,
    });
    expect(await provider.retrieve({ paymentId: "x", providerRef: "pi_fake_1" })).toEqual({
      status: "processing",
      providerRef: "pi_fake_1",
    });
  });
});

describe("Stripe adapter: refund", () => {
  async function charged(fake: FakeStripe) {
    await adapter(fake).charge(charge());
    return { paymentId: "pay_1", providerRef: "pi_fake_1", currency: "USD" };
  }

  it("refunds an amount of the PaymentIntent with the refund's key; parts add up to the charge", async () => {
    const fake = new FakeStripe();
    const provider = adapter(fake);
    const payment = await charged(fake);
    expect(await provider.refund({ ...payment, amount: 1000, idempotencyKey: "refund-a" })).toEqual({
      refundRef: "re_fake_2",
    });
    expect(await provider.refund({ ...payment, amount: 1500, idempotencyKey: "refund-b" })).toEqual({
      refundRef: "re_fake_3",
    });
    const [first] = fake.requests.filter((r) => r.path === "/v1/refunds");
    expect([first?.idempotencyKey, first?.form.get("amount"), first?.form.get("payment_intent")]).toEqual([
      "refund-a",
      "1000",
      "pi_fake_1",
    ]);
    // The same refund asked again is the same refund.
    expect(await provider.refund({ ...payment, amount: 1000, idempotencyKey: "refund-a" })).toEqual({
      refundRef: "re_fake_2",
    });
    expect(fake.refunds.map((r) => r.amount)).toEqual([1000, 1500]);
  });

  it("treats an already refunded charge as done; throws when refused or unanswered", async () => {
    const fake = new FakeStripe();
    const provider = adapter(fake, 0);
    const payment = await charged(fake);
    await provider.refund({ ...payment, amount: 2500, idempotencyKey: "all" });
    expect(await provider.refund({ ...payment, amount: 2500, idempotencyKey: "again" })).toEqual({
      refundRef: "already_refunded",
    });
    await expect(
      provider.refund({ ...payment, providerRef: "pi_nope", amount: 1, idempotencyKey: "x" }),
    ).rejects.toBeInstanceOf(ProviderError);
    fake.fail(/refunds$/, "network");
    await expect(provider.refund({ ...payment, amount: 1, idempotencyKey: "y" })).rejects.toBeInstanceOf(
      ProviderError,
    );
    await expect(
      provider.refund({ ...payment, providerRef: null, amount: 1, idempotencyKey: "z" }),
    ).rejects.toThrow(/no provider reference/);
  });
});
