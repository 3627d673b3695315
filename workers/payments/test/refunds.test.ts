import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  attemptsOf,
  cardBody,
  outboxEventsOf,
  paymentOf,
  postPayment,
  type StubOrder,
  seedOrder,
  userHeaders,
} from "./helpers";

interface RefundJson {
  refund: {
    id: string;
    amount: number;
    items: { productId: string; quantity: number; amount: number }[];
    restock: boolean;
  };
  order: { status: string; refundedTotal: number };
}

const ADMIN = "admin-refunds";

/** POST /api/orders/:id/refunds as an admin (or the given role), with a fresh Idempotency-Key unless given. */
async function postRefund(
  orderId: string,
  body: unknown,
  options: { key?: string; role?: "user" | "admin" } = {},
) {
  const headers = await userHeaders(ADMIN, options.role ?? "admin", {
    "content-type": "application/json",
    "idempotency-key": options.key ?? crypto.randomUUID(),
  });
  return exports.default.fetch(`http://payments/api/orders/${orderId}/refunds`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
}

/** A paid order of two lines: 2 × 1000 and 1 × 500, 2500 charged. */
async function paidOrder(overrides: Partial<StubOrder> = {}) {
  const order = await seedOrder({
    items: [
      { productId: "p-a", name: "Lamp", unitPrice: 1000, quantity: 2, lineTotal: 2000 },
      { productId: "p-b", name: "Bulb", unitPrice: 500, quantity: 1, lineTotal: 500 },
    ],
    total: 2500,
    ...overrides,
  });
  const payment = await paymentOf(await postPayment(order.userId, cardBody(order.id, "tok_visa")));
  expect(payment.status).toBe("succeeded");
  return { order, payment };
}

async function paymentNow(orderId: string) {
  const [row] = await attemptsOf(orderId);
  return row;
}

describe("POST /api/orders/:id/refunds", () => {
  it("refuses a user (403), a bad body (400), an unknown order (404) and an unpaid one (409)", async () => {
    const { order } = await paidOrder();
    expect((await postRefund(order.id, { reason: "x" }, { role: "user" })).status).toBe(403);
    expect((await postRefund(order.id, { amount: 100 })).status).toBe(400);
    expect(
      (await postRefund(order.id, { amount: 100, items: [{ productId: "p-a", quantity: 1 }], reason: "x" }))
        .status,
    ).toBe(400);
    expect((await postRefund(order.id, { amount: 100, restock: true, reason: "x" })).status).toBe(400);
    expect((await postRefund(order.id, { amount: 0, reason: "x" })).status).toBe(400);
    expect((await postRefund(`ord-${crypto.randomUUID()}`, { reason: "x" })).status).toBe(404);
    const pending = await seedOrder();
    const refused = await postRefund(pending.id, { reason: "x" });
    expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([
      409,
      "order_not_refundable",
    ]);
    const unknownLine = await postRefund(order.id, {
      items: [{ productId: "p-zz", quantity: 1 }],
      reason: "x",
    });
    expect(unknownLine.status).toBe(422);
  });

  it("partial then full: refundedTotal and amountRefunded rise, refunded only once all of it is, then nothing is left", async () => {
    const { order, payment } = await paidOrder();
    const partial = await postRefund(order.id, { amount: 700, reason: "goodwill" });
    expect(partial.status).toBe(201);
    const first = (await partial.json()) as RefundJson;
    expect(first.refund).toMatchObject({ amount: 700, items: [], restock: false });
    expect(first.order).toMatchObject({ status: "paid", refundedTotal: 700 });
    expect(await paymentNow(order.id)).toMatchObject({ status: "succeeded", amountRefunded: 700 });

    const rest = (await (
      await postRefund(order.id, { reason: "cancelled by the shop" })
    ).json()) as RefundJson;
    expect(rest.refund.amount).toBe(1800);
    expect(rest.order).toMatchObject({ status: "refunded", refundedTotal: 2500 });
    expect(await paymentNow(order.id)).toMatchObject({ status: "refunded", amountRefunded: 2500 });

    const more = await postRefund(order.id, { amount: 1, reason: "again" });
    expect(more.status).toBe(409);
    const events = (await outboxEventsOf(payment.id)).filter((e) => e.type === "payment.refunded");
    const amounts = events.filter((e) => e.destination === "orders-queue").map((e) => e.data?.amount);
    expect(amounts).toEqual([700, 1800]);
  });

  it("concurrent refunds of one order never exceed what was captured", async () => {
    const { order } = await paidOrder();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => postRefund(order.id, { amount: 1000, reason: "race" })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(await paymentNow(order.id)).toMatchObject({ status: "succeeded", amountRefunded: 2000 });
  });

  it("a return refunds the lines' share of what was charged, restocks them, and never more units than bought", async () => {
    // 10 % off and tax: 2300 charged for 2500 of lines.
    const { order, payment } = await paidOrder({ total: 2300 });
    const first = await postRefund(order.id, {
      items: [{ productId: "p-a", quantity: 1 }],
      restock: true,
      reason: "broken",
    });
    expect(first.status).toBe(201);
    const one = (await first.json()) as RefundJson;
    // p-a's share: 2300 × 2000 / 2500 = 1840, half of it per unit.
    expect(one.refund).toMatchObject({
      amount: 920,
      items: [{ productId: "p-a", quantity: 1, amount: 920 }],
      restock: true,
    });
    const tooMany = await postRefund(order.id, { items: [{ productId: "p-a", quantity: 2 }], reason: "x" });
    expect(tooMany.status).toBe(409);
    const rest = (await (
      await postRefund(order.id, {
        items: [
          { productId: "p-a", quantity: 1 },
          { productId: "p-b", quantity: 1 },
        ],
        restock: true,
        reason: "all back",
      })
    ).json()) as RefundJson;
    // The last units take the remainder: the returns add up to the total.
    expect(rest.refund.amount).toBe(2300 - 920);
    expect(rest.order).toMatchObject({ status: "refunded", refundedTotal: 2300 });
    const events = (await outboxEventsOf(payment.id)).filter(
      (e) => e.type === "payment.refunded" && e.destination === "orders-queue",
    );
    expect(events.map((e) => e.data?.items)).toEqual([
      [{ productId: "p-a", quantity: 1 }],
      [
        { productId: "p-a", quantity: 1 },
        { productId: "p-b", quantity: 1 },
      ],
    ]);
    expect(events.every((e) => e.data?.restock === true && typeof e.data?.refundId === "string")).toBe(true);
    const headers = await userHeaders(ADMIN, "admin");
    const listed = await exports.default.fetch(`http://payments/api/orders/${order.id}/refunds`, { headers });
    const { refunds } = (await listed.json()) as { refunds: RefundJson["refund"][] };
    expect(refunds.map((r) => r.amount)).toEqual([920, 1380]);
    const asUser = await userHeaders(order.userId, "user");
    expect(
      (await exports.default.fetch(`http://payments/api/orders/${order.id}/refunds`, { headers: asUser }))
        .status,
    ).toBe(403);
  });

  it("a retry with the same Idempotency-Key is the same refund, refunded once", async () => {
    const { order } = await paidOrder();
    const key = crypto.randomUUID();
    const first = (await (
      await postRefund(order.id, { amount: 300, reason: "r" }, { key })
    ).json()) as RefundJson;
    const again = (await (
      await postRefund(order.id, { amount: 300, reason: "r" }, { key })
    ).json()) as RefundJson;
    expect(again.refund.id).toBe(first.refund.id);
    expect(await paymentNow(order.id)).toMatchObject({ amountRefunded: 300 });
  });
});
