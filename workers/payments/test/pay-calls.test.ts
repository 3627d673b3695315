import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { idempotencyKeys } from "@edge-shop/worker-kit";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { countingD1, countingQueue } from "../../../packages/worker-kit/test/call-counters";
import { app } from "../src/app";
import { attemptsOf, cardBody, db, ordersStub, outboxEventsOf, seedOrder, userHeaders } from "./helpers";

/** The ORDERS binding with its calls counted (the stub does no D1 work: orders' side is in its own tests). */
function countingOrders() {
  const calls: string[] = [];
  const orders = {
    getOrder: (...args: Parameters<typeof env.ORDERS.getOrder>) => {
      calls.push("getOrder");
      return env.ORDERS.getOrder(...args);
    },
    markPaid: (...args: Parameters<typeof env.ORDERS.markPaid>) => {
      calls.push("markPaid");
      return env.ORDERS.markPaid(...args);
    },
  };
  return { orders: orders as unknown as typeof env.ORDERS, calls };
}

function setup() {
  const counter = countingD1(env.DB);
  const paymentEvents = countingQueue(env.ORDERS_QUEUE);
  const notifications = countingQueue(env.NOTIFICATIONS_QUEUE);
  const orders = countingOrders();
  const testEnv = {
    ...env,
    DB: counter.d1,
    ORDERS: orders.orders,
    ORDERS_QUEUE: paymentEvents.queue,
    NOTIFICATIONS_QUEUE: notifications.queue,
  };
  return { counter, paymentEvents, notifications, orders, testEnv };
}

async function payRequest(userId: string, key: string, body: unknown) {
  return new Request("http://payments/api/payments", {
    method: "POST",
    headers: await userHeaders(userId, "user", {
      "content-type": "application/json",
      "idempotency-key": key,
    }),
    body: JSON.stringify(body),
  });
}

async function storedKey(userId: string, key: string) {
  const [row] = await db()
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
  return row;
}

// Round trips per payment, pinned: the benchmark's payment floor counts them. A success is four D1 calls
// (claim the key; claim the attempt; record it with its outbox rows; one batch that marks the rows sent,
// notes orders' confirmation and stores the key's answer), one queue send (to notifications: orders heard of
// the payment from markPaid, so its queue copy is not sent) and two RPCs (getOrder, markPaid).
describe("POST /api/payments: platform calls", () => {
  it("a success: 2 writes + 2 batches, 1 send, 2 RPCs, no read", async () => {
    const { counter, paymentEvents, notifications, orders, testEnv } = setup();
    const order = await seedOrder();
    const key = crypto.randomUUID();
    const ctx = createExecutionContext();
    const response = await app.fetch(
      await payRequest(order.userId, key, cardBody(order.id, "tok_visa")),
      testEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const text = await response.text();
    expect(response.status).toBe(201);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 2, batches: 2 });
    expect(paymentEvents.sent).toHaveLength(0);
    expect(notifications.sent).toHaveLength(1);
    expect(orders.calls).toEqual(["getOrder", "markPaid"]);

    const { payment } = JSON.parse(text) as { payment: { id: string; status: string } };
    expect(payment.status).toBe("succeeded");
    const events = await outboxEventsOf(payment.id);
    // Both rows are done: the sweep sends neither again.
    expect(events.map((e) => e.destination).sort()).toEqual(["notifications-queue", "orders-queue"]);
    expect(events.every((e) => e.sentAt !== null)).toBe(true);
    const [row] = await attemptsOf(order.id);
    expect(row?.orderConfirmedAt).toBeTypeOf("number");
    expect(await storedKey(order.userId, key)).toMatchObject({
      state: "done",
      responseStatus: 201,
      responseBody: text,
    });

    // The replay is the claim attempt and one read; nothing is charged, sent or confirmed again.
    counter.reset();
    const again = await app.fetch(
      await payRequest(order.userId, key, cardBody(order.id, "tok_visa")),
      testEnv,
    );
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.text()).toBe(text);
    expect(counter.calls).toMatchObject({ reads: 1, writes: 1, batches: 0 });
    expect(orders.calls).toEqual(["getOrder", "markPaid"]);
    expect(await ordersStub.calls(order.id)).toHaveLength(1);
  });

  it("a decline: 3 writes + 1 batch (the answer is stored with the attempt), 2 sends, 1 RPC", async () => {
    const { counter, paymentEvents, notifications, orders, testEnv } = setup();
    const order = await seedOrder();
    const key = crypto.randomUUID();
    const response = await app.fetch(
      await payRequest(order.userId, key, cardBody(order.id, "tok_chargeDeclined")),
      testEnv,
    );
    const text = await response.text();
    expect(response.status).toBe(201);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 3, batches: 1 });
    expect(paymentEvents.sent).toHaveLength(1);
    expect(notifications.sent).toHaveLength(1);
    expect(orders.calls).toEqual(["getOrder"]);
    const { payment } = JSON.parse(text) as { payment: { id: string; status: string } };
    expect(payment.status).toBe("failed");
    expect((await outboxEventsOf(payment.id)).every((e) => e.sentAt !== null)).toBe(true);
    expect(await storedKey(order.userId, key)).toMatchObject({ state: "done", responseBody: text });
  });

  it("orders unreachable: orders' copy goes by queue; the sends and the answer are still one batch", async () => {
    const { counter, paymentEvents, notifications, orders, testEnv } = setup();
    const order = await seedOrder({ failMarkPaid: true });
    const key = crypto.randomUUID();
    const response = await app.fetch(
      await payRequest(order.userId, key, cardBody(order.id, "tok_visa")),
      testEnv,
    );
    const text = await response.text();
    expect(response.status).toBe(201);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 2, batches: 2 });
    expect(orders.calls).toEqual(["getOrder", "markPaid"]);
    expect(paymentEvents.sent).toMatchObject([{ type: "payment.succeeded", data: { orderId: order.id } }]);
    expect(notifications.sent).toHaveLength(1);
    const { payment } = JSON.parse(text) as { payment: { id: string; status: string } };
    expect(payment.status).toBe("succeeded");
    expect((await outboxEventsOf(payment.id)).every((e) => e.sentAt !== null)).toBe(true);
    const [row] = await attemptsOf(order.id);
    expect(row?.orderConfirmedAt).toBeNull();
    expect(await storedKey(order.userId, key)).toMatchObject({ state: "done", responseBody: text });
  });

  it("an order cancelled meanwhile: the refund is the answer stored and replayed", async () => {
    const { testEnv } = setup();
    const order = await seedOrder({ cancelOnMarkPaid: true });
    const key = crypto.randomUUID();
    const response = await app.fetch(
      await payRequest(order.userId, key, cardBody(order.id, "tok_visa")),
      testEnv,
    );
    const text = await response.text();
    const { payment } = JSON.parse(text) as { payment: { id: string; status: string } };
    expect(payment.status).toBe("refunded");
    expect((await outboxEventsOf(payment.id)).every((e) => e.sentAt !== null)).toBe(true);
    expect(await storedKey(order.userId, key)).toMatchObject({ state: "done", responseBody: text });
    const again = await app.fetch(
      await payRequest(order.userId, key, cardBody(order.id, "tok_visa")),
      testEnv,
    );
    expect(await again.text()).toBe(text);
  });
});
