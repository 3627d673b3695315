import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, eventually, expectJson, registerUser } from "./client";

// The whole saga through the gateway: order → declined card → paid → second payment refused → cancel →
// refunded (payments consumes order.refunded from the queue) → nobody else sees any of it.

type Payment = {
  id: string;
  orderId: string;
  status: string;
  amount: number;
  currency: string;
  failureReason: string | null;
};
type Order = { id: string; status: string; total: number; currency: string };

const address = { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" };
let admin: string;

async function createProduct(stock: number, price: number) {
  const response = await api("/api/products", {
    method: "POST",
    token: admin,
    json: { name: `E2E checkout ${crypto.randomUUID()}`, price, currency: "USD", category: "e2e", stock },
  });
  return (await expectJson<{ product: { id: string } }>(response, 201)).product.id;
}

function pay(token: string, orderId: string, cardToken: string, key: string = crypto.randomUUID()) {
  return api("/api/payments", {
    method: "POST",
    token,
    headers: { "idempotency-key": key },
    json: { orderId, method: { type: "card", token: cardToken } },
  });
}

async function orderOf(token: string, id: string) {
  return (await expectJson<{ order: Order }>(await api(`/api/orders/${id}`, { token }), 200)).order;
}

async function paymentsOf(token: string, orderId: string) {
  const response = await api(`/api/payments?orderId=${encodeURIComponent(orderId)}`, { token });
  return (await expectJson<{ payments: Payment[] }>(response, 200)).payments;
}

beforeAll(async () => {
  admin = await adminToken();
});

describe("checkout saga through the gateway", () => {
  it("declined, then paid, then cancelled and refunded; invisible to another user", async () => {
    const buyer = await registerUser();
    const productId = await createProduct(5, 1500);
    const created = await api("/api/orders", {
      method: "POST",
      token: buyer.token,
      headers: { "idempotency-key": crypto.randomUUID() },
      json: { items: [{ productId, quantity: 2 }], shippingAddress: address },
    });
    const order = (await expectJson<{ order: Order }>(created, 201)).order;
    expect(order).toMatchObject({ status: "pending", total: 3499, currency: "USD" });

    // A declined card is a recorded attempt; the order stays pending.
    const declined = (
      await expectJson<{ payment: Payment }>(await pay(buyer.token, order.id, "tok_chargeDeclined"), 201)
    ).payment;
    expect(declined).toMatchObject({ status: "failed", failureReason: "card_declined", amount: 3499 });
    expect((await orderOf(buyer.token, order.id)).status).toBe("pending");

    // tok_visa pays it, and the order is paid as soon as the answer arrives.
    const paid = (await expectJson<{ payment: Payment }>(await pay(buyer.token, order.id, "tok_visa"), 201))
      .payment;
    expect(paid).toMatchObject({
      orderId: order.id,
      status: "succeeded",
      amount: 3499,
      currency: "USD",
      failureReason: null,
    });
    expect((await orderOf(buyer.token, order.id)).status).toBe("paid");

    // Nothing is charged twice.
    const again = await pay(buyer.token, order.id, "tok_visa");
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "order_not_payable" });

    // Another user sees neither the order's payments nor can pay it.
    const intruder = await registerUser();
    expect((await api(`/api/payments?orderId=${order.id}`, { token: intruder.token })).status).toBe(404);
    expect((await pay(intruder.token, order.id, "tok_visa")).status).toBe(404);

    // Cancelling the paid order refunds it: orders answers at once, payments refunds from the queue.
    const cancel = await api(`/api/orders/${order.id}/cancel`, { method: "POST", token: buyer.token });
    expect(cancel.status).toBe(200);
    expect((await orderOf(buyer.token, order.id)).status).toBe("refunded");
    const refunded = await eventually(async () => {
      const payments = await paymentsOf(buyer.token, order.id);
      return payments.find((p) => p.id === paid.id && p.status === "refunded");
    }, 30_000);
    expect(refunded.amount).toBe(3499);
    expect((await paymentsOf(buyer.token, order.id)).map((p) => p.status)).toEqual(["failed", "refunded"]);

    // The admin sees the payments of any order.
    expect(await paymentsOf(admin, order.id)).toHaveLength(2);
  });
});
