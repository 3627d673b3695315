import { beforeAll, describe, expect, inject, it } from "vitest";
import { adminToken, api, eventually, expectJson, registerUser } from "./client";
import { signWebhook as sign, webhookSecret } from "./contract/webhook";

type Payment = {
  id: string;
  status: string;
  amount: number;
  failureReason: string | null;
  amountRefunded: number;
  nextAction: { type: string; url: string } | null;
};
type Order = { id: string; status: string; total: number };

const address = "1 Main St, Springfield";
let admin: string;

async function pendingOrderOf(token: string, price = 1234, quantity = 1) {
  const product = await api("/api/products", {
    method: "POST",
    token: admin,
    json: { name: `E2E payments ${crypto.randomUUID()}`, price, currency: "USD", category: "e2e", stock: 50 },
  });
  const productId = (await expectJson<{ product: { id: string } }>(product, 201)).product.id;
  const created = await api("/api/orders", {
    method: "POST",
    token,
    headers: { "idempotency-key": crypto.randomUUID() },
    json: { items: [{ productId, quantity }], shippingAddress: address },
  });
  return { order: (await expectJson<{ order: Order }>(created, 201)).order, productId };
}

async function pendingOrder(token: string, price = 1234, quantity = 1) {
  return (await pendingOrderOf(token, price, quantity)).order;
}

function pay(token: string, body: unknown, key: string | null = crypto.randomUUID()) {
  return api("/api/payments", {
    method: "POST",
    token,
    headers: key === null ? {} : { "idempotency-key": key },
    json: body,
  });
}
const card = (orderId: string, token: string) => ({ orderId, method: { type: "card", token } });

beforeAll(async () => {
  admin = await adminToken();
});

describe("payments through the gateway", () => {
  it("takes the amount from the order, never from the client", async () => {
    const buyer = await registerUser();
    const order = await pendingOrder(buyer.token, 1234, 3);
    const response = await pay(buyer.token, { ...card(order.id, "tok_visa"), amount: 1, currency: "EUR" });
    const { payment } = await expectJson<{ payment: Payment }>(response, 201);
    // The order's total: 3 × 1234 and standard shipping (an address without a country pays no tax).
    expect(payment).toMatchObject({ status: "succeeded", amount: 3702 + 499, currency: "USD" });
  });

  it("records insufficient funds and processing errors as failed attempts; the order stays payable", async () => {
    const buyer = await registerUser();
    const order = await pendingOrder(buyer.token);
    for (const [token, reason] of [
      ["tok_insufficientFunds", "insufficient_funds"],
      ["tok_processingError", "processing_error"],
    ]) {
      const { payment } = await expectJson<{ payment: Payment }>(
        await pay(buyer.token, card(order.id, token ?? "")),
        201,
      );
      expect(payment).toMatchObject({ status: "failed", failureReason: reason });
    }
    const { payment } = await expectJson<{ payment: Payment }>(
      await pay(buyer.token, card(order.id, "tok_visa")),
      201,
    );
    expect(payment.status).toBe("succeeded");
  });

  it("replays a request with the same Idempotency-Key, refuses another body (422) and a missing key (400)", async () => {
    const buyer = await registerUser();
    const order = await pendingOrder(buyer.token);
    const key = crypto.randomUUID();
    const first = await pay(buyer.token, card(order.id, "tok_visa"), key);
    const firstText = await first.text();
    expect(first.status, firstText).toBe(201);
    const replay = await pay(buyer.token, card(order.id, "tok_visa"), key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.text()).toBe(firstText);

    const reused = await pay(buyer.token, card(order.id, "tok_chargeDeclined"), key);
    expect(reused.status).toBe(422);
    expect((await pay(buyer.token, card(order.id, "tok_visa"), null)).status).toBe(400);
    const list = await api(`/api/payments?orderId=${order.id}`, { token: buyer.token });
    expect((await expectJson<{ payments: Payment[] }>(list, 200)).payments).toHaveLength(1);
  });

  it("charges once when several payments of one order race", async () => {
    const buyer = await registerUser();
    const order = await pendingOrder(buyer.token);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => pay(buyer.token, card(order.id, "tok_visa"))),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
    const list = await api(`/api/payments?orderId=${order.id}`, { token: buyer.token });
    const { payments } = await expectJson<{ payments: Payment[] }>(list, 200);
    expect(payments.filter((p) => p.status === "succeeded")).toHaveLength(1);
  });

  it("validates the body (400 errors[]) and needs a token (401)", async () => {
    const buyer = await registerUser();
    const invalid = await pay(buyer.token, { orderId: "x", method: { type: "paypal" } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
    const anonymous = await api("/api/payments", {
      method: "POST",
      headers: { "idempotency-key": "k" },
      json: card("x", "tok_visa"),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe("3-D Secure through the gateway (the simulator's page)", () => {
  /** The page's forms, in order, as a browser would read them. */
  async function formsOf(url: string) {
    const target = new URL(url);
    const response = await api(`${target.pathname}${target.search}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    return [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1] ?? "");
  }

  async function waiting() {
    const buyer = await registerUser();
    const order = await pendingOrder(buyer.token, 3300);
    const { payment } = await expectJson<{ payment: Payment }>(
      await pay(buyer.token, card(order.id, "tok_threeDSecure2Required")),
      201,
    );
    return { buyer, order, payment };
  }

  async function orderStatus(token: string, id: string) {
    return (await expectJson<{ order: Order }>(await api(`/api/orders/${id}`, { token }), 200)).order.status;
  }

  it("requires_action with a same-origin page; its first form completes: payment succeeded, order paid", async () => {
    const { buyer, order, payment } = await waiting();
    expect(payment).toMatchObject({ status: "requires_action", nextAction: { type: "redirect" } });
    const url = new URL(payment.nextAction?.url ?? "");
    expect(url.origin).toBe(new URL(inject("baseUrl")).origin);
    expect((await pay(buyer.token, card(order.id, "tok_visa"))).status).toBe(409);

    const [complete] = await formsOf(url.toString());
    const response = await api(complete ?? "", { method: "POST", redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/#/orders/${order.id}?payment=${payment.id}`);
    expect(await orderStatus(buyer.token, order.id)).toBe("paid");
    const list = await api(`/api/payments?orderId=${order.id}`, { token: buyer.token });
    const [settled] = (await expectJson<{ payments: Payment[] }>(list, 200)).payments;
    expect(settled).toMatchObject({ id: payment.id, status: "succeeded", nextAction: null });
  });

  it("its second form fails it: the order stays pending and can be paid with another card", async () => {
    const { buyer, order, payment } = await waiting();
    const [, fail] = await formsOf(payment.nextAction?.url ?? "");
    expect((await api(fail ?? "", { method: "POST", redirect: "manual" })).status).toBe(303);
    const list = await api(`/api/payments?orderId=${order.id}`, { token: buyer.token });
    expect((await expectJson<{ payments: Payment[] }>(list, 200)).payments[0]).toMatchObject({
      status: "failed",
      failureReason: "authentication_failed",
    });
    expect(await orderStatus(buyer.token, order.id)).toBe("pending");
    const { payment: second } = await expectJson<{ payment: Payment }>(
      await pay(buyer.token, card(order.id, "tok_visa")),
      201,
    );
    expect(second.status).toBe("succeeded");
  });
});

describe("payment provider webhook through the gateway (public, signed)", () => {
  const body = JSON.stringify({
    id: `evt_${crypto.randomUUID()}`,
    type: "customer.created",
    data: { object: {} },
  });
  const post = (signature: string, raw = body) =>
    api("/api/payments/webhook", {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: raw,
    });
  /** An event as the provider sends it: signed with the endpoint's secret. */
  const sendSigned = async (raw: string) => post(await sign(raw, webhookSecret() ?? ""), raw);

  it("refuses a bad signature with 401", async () => {
    const response = await post(await sign(body, "whsec_wrong"));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "invalid_signature" });
  });

  it.skipIf(webhookSecret() === undefined)(
    "a refund made at the provider (charge.refunded) refunds the paid order and gives its stock back",
    async () => {
      const buyer = await registerUser();
      const { order, productId } = await pendingOrderOf(buyer.token, 1500, 2);
      const { payment } = await expectJson<{ payment: Payment }>(
        await pay(buyer.token, card(order.id, "tok_visa")),
        201,
      );
      const refund = JSON.stringify({
        id: `evt_${crypto.randomUUID()}`,
        type: "charge.refunded",
        created: Math.floor(Date.now() / 1000),
        data: {
          object: { id: `ch_${crypto.randomUUID()}`, payment_intent: `pi_sim_${payment.id}`, refunded: true },
        },
      });
      const sent = await sendSigned(refund);
      expect(await expectJson(sent, 200)).toEqual({ received: true });
      const refunded = await eventually(async () => {
        const { order: now } = await expectJson<{ order: Order }>(
          await api(`/api/orders/${order.id}`, { token: buyer.token }),
          200,
        );
        return now.status === "refunded" ? now : undefined;
      });
      expect(refunded.status).toBe("refunded");
      const stock = await eventually(async () => {
        const { product } = await expectJson<{ product: { stock: number } }>(
          await api(`/api/products/${productId}`),
          200,
        );
        return product.stock === 50 ? product.stock : undefined;
      });
      expect(stock).toBe(50);
    },
  );

  it.skipIf(webhookSecret() === undefined)(
    "a partial refund at the provider (amount_refunded below the charge) keeps the order paid",
    async () => {
      const buyer = await registerUser();
      const order = await pendingOrder(buyer.token, 2000);
      const { payment } = await expectJson<{ payment: Payment }>(
        await pay(buyer.token, card(order.id, "tok_visa")),
        201,
      );
      const refund = JSON.stringify({
        id: `evt_${crypto.randomUUID()}`,
        type: "charge.refunded",
        data: {
          object: {
            id: "ch_partial",
            payment_intent: `pi_sim_${payment.id}`,
            amount: 2000,
            amount_refunded: 500,
          },
        },
      });
      const sent = await sendSigned(refund);
      expect(sent.status).toBe(200);
      const list = await api(`/api/payments?orderId=${order.id}`, { token: buyer.token });
      expect((await expectJson<{ payments: Payment[] }>(list, 200)).payments[0]).toMatchObject({
        status: "succeeded",
        amountRefunded: 500,
      });
      const now = await expectJson<{ order: Order }>(
        await api(`/api/orders/${order.id}`, { token: buyer.token }),
        200,
      );
      expect(now.order.status).toBe("paid");
    },
  );

  it.skipIf(webhookSecret() === undefined)(
    "accepts a signed event once and a redelivery again; refuses a stale one",
    async () => {
      const secret = webhookSecret() ?? "";
      expect(await expectJson(await post(await sign(body, secret)), 200)).toEqual({ received: true });
      expect(await expectJson(await post(await sign(body, secret)), 200)).toEqual({ received: true });
      const stale = await post(await sign(body, secret, Math.floor(Date.now() / 1000) - 600));
      expect(stale.status).toBe(401);
    },
  );
});
