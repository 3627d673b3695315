import { exports } from "cloudflare:workers";
import type { EventEnvelope, Order } from "@edge-shop/contracts";
import { newEvent } from "@edge-shop/worker-kit";
import { describe, expect, it } from "vitest";
import { type Caller, call, deliver, outboxOf, pid, placeOrder, products, user } from "./helpers";

function succeeded(order: Order, paymentId = `pay-${crypto.randomUUID()}`) {
  return newEvent(
    "payment.succeeded",
    {
      paymentId,
      orderId: order.id,
      userId: order.userId,
      amount: order.total,
      currency: order.currency,
      items: order.items,
    },
    { source: "payments", correlationId: "corr-1" },
  );
}

function failed(order: Order) {
  return newEvent(
    "payment.failed",
    {
      paymentId: `pay-${crypto.randomUUID()}`,
      orderId: order.id,
      userId: order.userId,
      amount: order.total,
      currency: order.currency,
      reason: "card_declined",
    },
    { source: "payments", correlationId: "corr-2" },
  );
}

function refunded(order: Order, paymentId: string, partial?: { amount: number }) {
  return newEvent(
    "payment.refunded",
    {
      paymentId,
      orderId: order.id,
      userId: order.userId,
      amount: partial?.amount ?? order.total,
      currency: order.currency,
      ...(partial ? { amountRefunded: partial.amount, partial: true } : {}),
    },
    { source: "payments", correlationId: "corr-3" },
  );
}

async function statusOf(as: Caller, id: string) {
  return ((await (await call(`/api/orders/${id}`, { as })).json()) as { order: Order }).order;
}

async function pendingOrder() {
  const as = user();
  return { as, order: await placeOrder(as, [{ productId: pid("usd", 300, 5), quantity: 1 }]) };
}

describe("orders-queue consumer", () => {
  it("marks the order paid on payment.succeeded", async () => {
    const { as, order } = await pendingOrder();
    const result = await deliver([succeeded(order)]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    expect((await statusOf(as, order.id)).status).toBe("paid");
  });

  it("changes nothing when the same event is delivered twice", async () => {
    const { as, order } = await pendingOrder();
    const event = succeeded(order);
    await deliver([event]);
    const after = await statusOf(as, order.id);
    // Ship it in between: a replayed payment.succeeded must not touch the order again.
    await call(`/api/orders/${order.id}/status`, {
      method: "PATCH",
      as: user("admin"),
      json: { status: "shipped" },
    });
    const shipped = await statusOf(as, order.id);
    const again = await deliver([event]);
    expect(again.explicitAcks).toHaveLength(1);
    expect(after.status).toBe("paid");
    expect(await statusOf(as, order.id)).toEqual(shipped);
  });

  it("leaves an order that is no longer pending alone (cancelled before the payment landed)", async () => {
    const { as, order } = await pendingOrder();
    await call(`/api/orders/${order.id}/cancel`, { method: "POST", as });
    const result = await deliver([succeeded(order)]);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await statusOf(as, order.id)).status).toBe("cancelled");
  });

  it("keeps the order pending on payment.failed", async () => {
    const { as, order } = await pendingOrder();
    const result = await deliver([failed(order)]);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await statusOf(as, order.id)).status).toBe("pending");
  });

  it("retries only the failing message of a batch", async () => {
    const { as, order } = await pendingOrder();
    const unknownOrder = { ...order, id: crypto.randomUUID() };
    const malformed = { id: "x", type: "payment.succeeded", data: { nope: true } };
    const result = await deliver([succeeded(order), malformed, succeeded(unknownOrder), failed(order)]);
    expect(result.explicitAcks.sort()).toEqual([result.ids[0], result.ids[3]].sort());
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual([result.ids[1], result.ids[2]].sort());
    expect((await statusOf(as, order.id)).status).toBe("paid");
  });
});

describe("payment.refunded (a refund made at the provider)", () => {
  async function paidOrder() {
    const as = user();
    const productId = pid("usd", 300, 5);
    const order = await placeOrder(as, [{ productId, quantity: 2 }]);
    const paymentId = `pay-${crypto.randomUUID()}`;
    await deliver([succeeded(order, paymentId)]);
    return { as, order, productId, paymentId };
  }

  it("makes the paid order refunded and gives its stock back, once", async () => {
    const { as, order, productId, paymentId } = await paidOrder();
    expect(await products.stockOf(productId)).toBe(3);
    const event = refunded(order, paymentId);
    const result = await deliver([event]);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await statusOf(as, order.id)).status).toBe("refunded");
    expect(await products.stockOf(productId)).toBe(5);
    // No order event: payments' own event already tells the customer the refund was issued.
    expect(await outboxOf(order.id)).not.toContainEqual(expect.objectContaining({ type: "order.refunded" }));

    const again = await deliver([event]);
    expect(again.explicitAcks).toHaveLength(1);
    expect((await statusOf(as, order.id)).status).toBe("refunded");
    expect(await products.stockOf(productId)).toBe(5);
  });

  it("keeps a paid order paid, its stock reserved, for a partial refund at the provider", async () => {
    const { as, order, productId, paymentId } = await paidOrder();
    const result = await deliver([refunded(order, paymentId, { amount: 100 })]);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await statusOf(as, order.id)).status).toBe("paid");
    expect(await products.stockOf(productId)).toBe(3);
  });

  it("leaves the order alone when the refunded payment is not the one that paid it (a late duplicate charge)", async () => {
    const { as, order } = await paidOrder();
    const result = await deliver([refunded(order, `pay-${crypto.randomUUID()}`)]);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await statusOf(as, order.id)).status).toBe("paid");
  });

  it("changes nothing for the refund of a cancelled paid order (it was refunded first)", async () => {
    const { as, order, productId, paymentId } = await paidOrder();
    await call(`/api/orders/${order.id}/cancel`, { method: "POST", as });
    const result = await deliver([refunded(order, paymentId)]);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await statusOf(as, order.id)).status).toBe("refunded");
    expect(await products.stockOf(productId)).toBe(5);
  });

  it("makes a shipped order refunded without giving its stock back (the goods are with the customer)", async () => {
    const { as, order, productId, paymentId } = await paidOrder();
    await call(`/api/orders/${order.id}/status`, {
      method: "PATCH",
      as: user("admin"),
      json: { status: "shipped" },
    });
    const result = await deliver([refunded(order, paymentId)]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await statusOf(as, order.id)).toMatchObject({ status: "refunded", refundedTotal: order.total });
    expect(await products.stockOf(productId)).toBe(3);
  });

  it("retries the refund of an order it does not know", async () => {
    const { order, paymentId } = await paidOrder();
    const result = await deliver([refunded({ ...order, id: crypto.randomUUID() }, paymentId)]);
    expect(result.retryMessages).toHaveLength(1);
  });
});

describe("payment.refunded of a refund made through POST /api/orders/:id/refunds", () => {
  async function paidOrder() {
    const as = user();
    const productId = pid("usd", 300, 5);
    const other = pid("usd", 100, 5);
    const order = await placeOrder(as, [
      { productId, quantity: 2 },
      { productId: other, quantity: 1 },
    ]);
    const paymentId = `pay-${crypto.randomUUID()}`;
    await deliver([succeeded(order, paymentId)]);
    return { as, order, productId, other, paymentId };
  }

  function refund(
    order: Order,
    paymentId: string,
    data: {
      amount: number;
      amountRefunded: number;
      items?: { productId: string; quantity: number }[];
      restock?: boolean;
    },
  ) {
    return newEvent(
      "payment.refunded",
      {
        paymentId,
        orderId: order.id,
        userId: order.userId,
        currency: order.currency,
        partial: data.amountRefunded < order.total,
        refundId: `rf-${crypto.randomUUID()}`,
        ...data,
      },
      { source: "payments", correlationId: "corr-4" },
    );
  }

  it("a return with restock raises refundedTotal and puts exactly those units back, once", async () => {
    const { as, order, productId, other, paymentId } = await paidOrder();
    expect([await products.stockOf(productId), await products.stockOf(other)]).toEqual([3, 4]);
    const event = refund(order, paymentId, {
      amount: 300,
      amountRefunded: 300,
      items: [{ productId, quantity: 1 }],
      restock: true,
    });
    expect((await deliver([event])).explicitAcks).toHaveLength(1);
    await deliver([event]);
    expect(await statusOf(as, order.id)).toMatchObject({ status: "paid", refundedTotal: 300 });
    expect([await products.stockOf(productId), await products.stockOf(other)]).toEqual([4, 4]);
  });

  it("partial then full: refunded once all of it is, a shipped order too, without giving the rest of the stock back", async () => {
    const { as, order, productId, other, paymentId } = await paidOrder();
    await call(`/api/orders/${order.id}/status`, {
      method: "PATCH",
      as: user("admin"),
      json: { status: "shipped" },
    });
    await deliver([refund(order, paymentId, { amount: 200, amountRefunded: 200 })]);
    expect(await statusOf(as, order.id)).toMatchObject({ status: "shipped", refundedTotal: 200 });
    const rest = await exports.OrdersRpc.applyRefund(
      refund(order, paymentId, { amount: order.total - 200, amountRefunded: order.total }),
    );
    expect(rest).toMatchObject({ status: "refunded", refundedTotal: order.total });
    expect(await statusOf(as, order.id)).toMatchObject({ status: "refunded", refundedTotal: order.total });
    expect([await products.stockOf(productId), await products.stockOf(other)]).toEqual([3, 4]);
  });

  it("retries the event when products cannot restock, and records nothing meanwhile", async () => {
    const { as, order, productId, paymentId } = await paidOrder();
    await products.failReleases(1);
    const event = refund(order, paymentId, {
      amount: 600,
      amountRefunded: 600,
      items: [{ productId, quantity: 2 }],
      restock: true,
    });
    expect((await deliver([event])).retryMessages).toHaveLength(1);
    expect((await statusOf(as, order.id)).refundedTotal).toBe(0);
    expect((await deliver([event])).explicitAcks).toHaveLength(1);
    expect((await statusOf(as, order.id)).refundedTotal).toBe(600);
    expect(await products.stockOf(productId)).toBe(5);
  });
});

describe("OrdersRpc", () => {
  it("getOrder shows the owner and admins the order, nobody else", async () => {
    const { as, order } = await pendingOrder();
    const view = await exports.OrdersRpc.getOrder(order.id, as);
    expect(view).toEqual({
      id: order.id,
      userId: order.userId,
      status: "pending",
      items: order.items,
      total: order.total,
      currency: order.currency,
      breakdown: {
        subtotal: order.subtotal,
        discountTotal: 0,
        shippingTotal: order.shippingTotal,
        taxTotal: 0,
        promotionCode: null,
        shippingOption: order.shippingOption,
      },
      refundedTotal: 0,
    });
    expect(await exports.OrdersRpc.getOrder(order.id, user())).toBeNull();
    expect(await exports.OrdersRpc.getOrder(order.id, user("admin"))).not.toBeNull();
    expect(await exports.OrdersRpc.getOrder(crypto.randomUUID(), as)).toBeNull();
  });

  it("markPaid pays a pending order once and reports what happened to later calls", async () => {
    const { as, order } = await pendingOrder();
    expect(await exports.OrdersRpc.markPaid(order.id, "pay-1", "corr")).toEqual({
      status: "paid",
      paymentId: "pay-1",
    });
    expect(await exports.OrdersRpc.markPaid(order.id, "pay-1", "corr")).toEqual({
      status: "paid",
      paymentId: "pay-1",
    });
    expect(await exports.OrdersRpc.markPaid(order.id, "pay-2", "corr")).toEqual({
      status: "paid",
      paymentId: "pay-1",
    });
    expect((await statusOf(as, order.id)).status).toBe("paid");
  });

  it("markPaid answers `cancelled` for an order that expired or was cancelled first", async () => {
    const { as, order } = await pendingOrder();
    await call(`/api/orders/${order.id}/cancel`, { method: "POST", as });
    expect(await exports.OrdersRpc.markPaid(order.id, "pay-late", "corr")).toMatchObject({
      status: "cancelled",
    });
  });

  it("the event after the fast path changes nothing", async () => {
    const { as, order } = await pendingOrder();
    const event: EventEnvelope = succeeded(order, "pay-fast");
    await exports.OrdersRpc.markPaid(order.id, "pay-fast", "corr");
    const before = await statusOf(as, order.id);
    expect((await deliver([event])).explicitAcks).toHaveLength(1);
    expect(await statusOf(as, order.id)).toEqual(before);
  });
});
