import { env } from "cloudflare:workers";
import { type Order, OrderStatuses } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { markPaid } from "../src/domain/mark-paid";
import { canTransition, Transitions } from "../src/domain/state-machine";
import { call, outboxOf, pid, placeOrder, products, user } from "./helpers";

const db = database(env.DB);

async function orderIn(status: Order["status"]) {
  const as = user();
  const productId = pid("usd", 500, 10);
  const order = await placeOrder(as, [{ productId, quantity: 2 }]);
  const admin = user("admin");
  const steps: Record<Order["status"], (() => Promise<unknown>)[]> = {
    pending: [],
    paid: [() => markPaid(db, order.id, `pay-${order.id}`)],
    shipped: [() => markPaid(db, order.id, `pay-${order.id}`), () => patch(order.id, "shipped", admin)],
    delivered: [
      () => markPaid(db, order.id, `pay-${order.id}`),
      () => patch(order.id, "shipped", admin),
      () => patch(order.id, "delivered", admin),
    ],
    cancelled: [() => call(`/api/orders/${order.id}/cancel`, { method: "POST", as })],
    refunded: [
      () => markPaid(db, order.id, `pay-${order.id}`),
      () => call(`/api/orders/${order.id}/cancel`, { method: "POST", as }),
    ],
  };
  for (const step of steps[status]) await step();
  return { as, order, productId };
}

function patch(id: string, status: string, as = user("admin")) {
  return call(`/api/orders/${id}/status`, { method: "PATCH", as, json: { status } });
}

describe("the state machine", () => {
  it("allows exactly the DESIGN's transitions", () => {
    const allowed = OrderStatuses.flatMap((from) =>
      OrderStatuses.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed.sort()).toEqual(
      ["pending→paid", "pending→cancelled", "paid→shipped", "shipped→delivered", "paid→refunded"].sort(),
    );
    expect(Object.keys(Transitions).sort()).toEqual([...OrderStatuses].sort());
  });

  it.each([
    ["pending", "shipped"],
    ["pending", "delivered"],
    ["paid", "delivered"],
    ["shipped", "shipped"],
    ["delivered", "shipped"],
    ["delivered", "delivered"],
    ["cancelled", "shipped"],
    ["refunded", "delivered"],
  ] as const)("PATCH status of a %s order to %s is 409 invalid_transition", async (from, to) => {
    const { order } = await orderIn(from);
    const response = await patch(order.id, to);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: "invalid_transition" });
  });

  it.each(["shipped", "delivered", "cancelled", "refunded"] as const)(
    "cancelling a %s order is 409",
    async (from) => {
      const { as, order } = await orderIn(from);
      const response = await call(`/api/orders/${order.id}/cancel`, { method: "POST", as });
      expect(response.status).toBe(409);
      expect(await response.json()).toMatchObject({ code: "invalid_transition" });
    },
  );

  it("ships and delivers a paid order (admin), announcing each step to notifications", async () => {
    const { order } = await orderIn("paid");
    const shipped = await patch(order.id, "shipped");
    expect(shipped.status).toBe(200);
    expect(await shipped.json()).toMatchObject({ order: { id: order.id, status: "shipped" } });
    const delivered = await patch(order.id, "delivered");
    expect(await delivered.json()).toMatchObject({ order: { status: "delivered" } });
    const events = await outboxOf(order.id);
    expect(events).toContainEqual({ type: "order.shipped", destination: "notifications-queue", sent: true });
    expect(events).toContainEqual({
      type: "order.delivered",
      destination: "notifications-queue",
      sent: true,
    });
  });

  it("refuses PATCH status to a user (403), an unknown status (400) and an unknown order (404)", async () => {
    const { as, order } = await orderIn("paid");
    expect((await patch(order.id, "shipped", as)).status).toBe(403);
    expect((await patch(order.id, "paid")).status).toBe(400);
    expect((await patch(order.id, "cancelled")).status).toBe(400);
    expect((await patch(crypto.randomUUID(), "shipped")).status).toBe(404);
  });
});

describe("cancelling", () => {
  it("cancels a pending order, releases its stock and tells notifications", async () => {
    const { as, order, productId } = await orderIn("pending");
    expect(await products.stockOf(productId)).toBe(8);
    const response = await call(`/api/orders/${order.id}/cancel`, { method: "POST", as });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ order: { id: order.id, status: "cancelled" } });
    expect(await products.stockOf(productId)).toBe(10);
    expect(await outboxOf(order.id)).toContainEqual({
      type: "order.cancelled",
      destination: "notifications-queue",
      sent: true,
    });
  });

  it("refunds a paid order at once: refunded, stock back, order.refunded to payments and notifications", async () => {
    const { as, order, productId } = await orderIn("paid");
    const response = await call(`/api/orders/${order.id}/cancel`, { method: "POST", as });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ order: { status: "refunded" } });
    expect(await products.stockOf(productId)).toBe(10);
    const refunds = (await outboxOf(order.id)).filter((e) => e.type === "order.refunded");
    expect(refunds.map((e) => e.destination).sort()).toEqual(["notifications-queue", "payments-queue"]);
  });

  it("lets an admin cancel someone's order, and nobody else (404)", async () => {
    const { order } = await orderIn("pending");
    expect((await call(`/api/orders/${order.id}/cancel`, { method: "POST", as: user() })).status).toBe(404);
    const response = await call(`/api/orders/${order.id}/cancel`, { method: "POST", as: user("admin") });
    expect(await response.json()).toMatchObject({ order: { status: "cancelled" } });
  });

  it("lets exactly one of several concurrent cancels win, with one event and one release", async () => {
    const { as, order, productId } = await orderIn("pending");
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => call(`/api/orders/${order.id}/cancel`, { method: "POST", as })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await products.stockOf(productId)).toBe(10);
    expect((await outboxOf(order.id)).filter((e) => e.type === "order.cancelled")).toHaveLength(1);
  });

  it("lets only one of a concurrent cancel and payment win", async () => {
    const { as, order } = await orderIn("pending");
    const [cancel, paid] = await Promise.all([
      call(`/api/orders/${order.id}/cancel`, { method: "POST", as }),
      markPaid(db, order.id, "pay-race"),
    ]);
    const final = (await (await call(`/api/orders/${order.id}`, { as })).json()) as { order: Order };
    // Either the payment came first (then cancel refunds) or the cancel did (then the payment finds it cancelled).
    expect(cancel.status).toBe(200);
    expect(["refunded", "cancelled"]).toContain(final.order.status);
    expect(paid?.status === "paid" ? "refunded" : "cancelled").toBe(final.order.status);
  });
});
