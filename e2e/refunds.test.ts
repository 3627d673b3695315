import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, eventually, expectJson, registerUser } from "./client";

type Order = { id: string; status: string; total: number; refundedTotal: number };
type Refund = {
  id: string;
  amount: number;
  items: { productId: string; quantity: number; amount: number }[];
};

let admin: string;

beforeAll(async () => {
  admin = await adminToken();
});

async function product(price: number, stock: number) {
  const created = await api("/api/products", {
    method: "POST",
    token: admin,
    json: { name: `E2E refunds ${crypto.randomUUID()}`, price, currency: "USD", category: "e2e", stock },
  });
  return (await expectJson<{ product: { id: string } }>(created, 201)).product.id;
}

const stockOf = async (id: string) =>
  (await expectJson<{ product: { stock: number } }>(await api(`/api/products/${id}`), 200)).product.stock;

/** A paid order of 3 lamps (1500 each) and 1 shade (800) of a fresh buyer. */
async function paidOrder() {
  const buyer = await registerUser();
  const [lamp, shade] = [await product(1500, 10), await product(800, 10)];
  const created = await api("/api/orders", {
    method: "POST",
    token: buyer.token,
    headers: { "idempotency-key": crypto.randomUUID() },
    json: {
      items: [
        { productId: lamp, quantity: 3 },
        { productId: shade, quantity: 1 },
      ],
      shippingAddress: "1 Main St, Springfield",
    },
  });
  const { order } = await expectJson<{ order: Order }>(created, 201);
  const paid = await api("/api/payments", {
    method: "POST",
    token: buyer.token,
    headers: { "idempotency-key": crypto.randomUUID() },
    json: { orderId: order.id, method: { type: "card", token: "tok_visa" } },
  });
  expect((await expectJson<{ payment: { status: string } }>(paid, 201)).payment.status).toBe("succeeded");
  return { buyer, order, lamp, shade };
}

function refund(orderId: string, body: unknown, token = admin) {
  return api(`/api/orders/${orderId}/refunds`, {
    method: "POST",
    token,
    headers: { "idempotency-key": crypto.randomUUID() },
    json: body,
  });
}

describe("refunds and returns through the gateway (admin)", () => {
  it("a return with restock puts exactly those units back; then the rest is refunded and the order is refunded", async () => {
    const { buyer, order, lamp, shade } = await paidOrder();
    expect([await stockOf(lamp), await stockOf(shade)]).toEqual([7, 9]);
    expect((await refund(order.id, { reason: "x" }, buyer.token)).status).toBe(403);

    const returned = await expectJson<{ refund: Refund; order: Order }>(
      await refund(order.id, { items: [{ productId: lamp, quantity: 2 }], restock: true, reason: "damaged" }),
      201,
    );
    expect(returned.refund).toMatchObject({
      amount: 3000,
      items: [{ productId: lamp, quantity: 2, amount: 3000 }],
    });
    expect(returned.order).toMatchObject({ status: "paid", refundedTotal: 3000 });
    expect([await stockOf(lamp), await stockOf(shade)]).toEqual([9, 9]);

    const rest = await expectJson<{ refund: Refund; order: Order }>(
      await refund(order.id, { reason: "goodwill" }),
      201,
    );
    expect(rest.refund.amount).toBe(order.total - 3000);
    expect(rest.order).toMatchObject({ status: "refunded", refundedTotal: order.total });
    // The rest was refunded without a return: its units stay sold.
    expect([await stockOf(lamp), await stockOf(shade)]).toEqual([9, 9]);
    const payments = await expectJson<{ payments: { status: string; amountRefunded: number }[] }>(
      await api(`/api/payments?orderId=${order.id}`, { token: buyer.token }),
      200,
    );
    expect(payments.payments[0]).toMatchObject({ status: "refunded", amountRefunded: order.total });
    // The customer is told of each refund, with its amount.
    const mails = await eventually(async () => {
      const { notifications } = await expectJson<{ notifications: { subject: string }[] }>(
        await api("/api/notifications", { token: buyer.token }),
        200,
      );
      const refunds = notifications.filter((n) => n.subject.startsWith("Refund of"));
      return refunds.length >= 2 ? refunds : undefined;
    });
    const subjects = mails.map((m) => m.subject).join("\n");
    expect(subjects).toContain("Refund of $30.00");
    expect(subjects).toContain(`Refund of $${((order.total - 3000) / 100).toFixed(2)}`);
  });

  it("refunds of one order running at once never exceed what was captured", async () => {
    const { order } = await paidOrder();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => refund(order.id, { amount: 2000, reason: "race" })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(Math.floor(order.total / 2000));
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const now = await expectJson<{ order: Order }>(
      await api(`/api/orders/${order.id}`, { token: admin }),
      200,
    );
    expect(now.order.refundedTotal).toBe(2000 * Math.floor(order.total / 2000));
  });
});
