import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  attemptsOf,
  cardBody,
  ordersStub,
  outboxEventsOf,
  paymentOf,
  postPayment,
  seedOrder,
} from "./helpers";

describe("POST /api/payments with the simulator", () => {
  it("charges tok_visa: 201 succeeded, amount from the order, events to orders and notifications", async () => {
    const order = await seedOrder({ total: 4321, currency: "EUR" });
    const response = await postPayment(order.userId, { ...cardBody(order.id, "tok_visa"), amount: 1 });
    expect(response.status).toBe(201);
    const payment = await paymentOf(response);
    expect(payment).toMatchObject({
      orderId: order.id,
      status: "succeeded",
      amount: 4321,
      currency: "EUR",
      failureReason: null,
    });
    expect(new Date(payment.createdAt).toISOString()).toBe(payment.createdAt);

    const events = await outboxEventsOf(payment.id);
    expect(events.map((e) => `${e.type}>${e.destination}`).sort()).toEqual([
      "payment.succeeded>notifications-queue",
      "payment.succeeded>orders-queue",
    ]);
    expect(events[0]?.data).toMatchObject({
      orderId: order.id,
      userId: order.userId,
      amount: 4321,
      items: order.items,
    });
    expect(events.every((e) => e.sentAt !== null)).toBe(true);
  });

  it("marks the order paid synchronously with the request id as correlation id", async () => {
    const order = await seedOrder();
    const response = await postPayment(order.userId, cardBody(order.id, "tok_visa"));
    const payment = await paymentOf(response);
    const requestId = response.headers.get("x-request-id");
    expect(await ordersStub.calls(order.id)).toEqual([
      { orderId: order.id, paymentId: payment.id, correlationId: requestId },
    ]);
    const [row] = await attemptsOf(order.id);
    expect(row?.orderConfirmedAt).not.toBeNull();
  });

  it.each([
    ["tok_chargeDeclined", "card_declined"],
    ["tok_insufficientFunds", "insufficient_funds"],
    ["tok_processingError", "processing_error"],
    ["tok_unknown", "invalid_token"],
  ])("records %s as a failed attempt (%s), leaves the order payable", async (token, reason) => {
    const order = await seedOrder();
    const response = await postPayment(order.userId, cardBody(order.id, token));
    expect(response.status).toBe(201);
    const failed = await paymentOf(response);
    expect(failed).toMatchObject({ status: "failed", failureReason: reason, amount: order.total });
    expect(await ordersStub.calls(order.id)).toEqual([]);
    const events = await outboxEventsOf(failed.id);
    expect(events.map((e) => `${e.type}>${e.destination}`).sort()).toEqual([
      "payment.failed>notifications-queue",
      "payment.failed>orders-queue",
    ]);
    expect(events[0]?.data?.reason).toBe(reason);

    // The order may be paid again, with a new key.
    const retry = await paymentOf(await postPayment(order.userId, cardBody(order.id, "tok_visa")));
    expect(retry.status).toBe("succeeded");
    expect((await attemptsOf(order.id)).map((p) => p.status).sort()).toEqual(["failed", "succeeded"]);
  });

  it("refuses a second payment of a paid order with 409 order_not_payable", async () => {
    const order = await seedOrder();
    expect((await postPayment(order.userId, cardBody(order.id, "tok_visa"))).status).toBe(201);
    const second = await postPayment(order.userId, cardBody(order.id, "tok_visa"));
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ code: "order_not_payable" });
    expect(await attemptsOf(order.id)).toHaveLength(1);
  });

  it("refuses a payment when orders still says pending but a payment already succeeded (unique index)", async () => {
    // markPaid fails, so the stub keeps the order pending: only the index stands between us and a 2nd charge.
    const order = await seedOrder({ failMarkPaid: true });
    expect((await paymentOf(await postPayment(order.userId, cardBody(order.id, "tok_visa")))).status).toBe(
      "succeeded",
    );
    const second = await postPayment(order.userId, cardBody(order.id, "tok_visa"));
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ code: "order_not_payable" });
  });

  it("charges once when payments for one order race (different idempotency keys)", async () => {
    const order = await seedOrder({ failMarkPaid: true });
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => postPayment(order.userId, cardBody(order.id, "tok_visa"))),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    for (const r of responses.filter((r) => r.status === 409)) {
      expect(["payment_in_progress", "order_not_payable"]).toContain(
        ((await r.json()) as { code: string }).code,
      );
    }
    const attempts = await attemptsOf(order.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.status).toBe("succeeded");
  });

  it("is 404 for another user's order and for an unknown order (BOLA)", async () => {
    const order = await seedOrder();
    const other = await postPayment("someone-else", cardBody(order.id, "tok_visa"));
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: "not_found" });
    expect((await postPayment(order.userId, cardBody("ord-missing", "tok_visa"))).status).toBe(404);
    expect(await attemptsOf(order.id)).toHaveLength(0);
  });

  it("is 409 for an order that is not pending", async () => {
    const order = await seedOrder({ status: "cancelled" });
    const response = await postPayment(order.userId, cardBody(order.id, "tok_visa"));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: "order_not_payable" });
  });

  it("refunds at once when the order was cancelled (expired) while the charge ran", async () => {
    const order = await seedOrder({ cancelOnMarkPaid: true });
    const payment = await paymentOf(await postPayment(order.userId, cardBody(order.id, "tok_visa")));
    expect(payment.status).toBe("refunded");
    const [row] = await attemptsOf(order.id);
    expect(row).toMatchObject({ status: "refunded", refundRef: `re_sim_${payment.id}` });
    const types = (await outboxEventsOf(payment.id)).map((e) => `${e.type}>${e.destination}`);
    expect(types).toContain("payment.refunded>notifications-queue");
  });

  it.each([
    ["no orderId", { method: { type: "card", token: "tok_visa" } }, "orderId"],
    ["a method that is not a card", { orderId: "o", method: { type: "iban", token: "x" } }, "method.type"],
    ["no token", { orderId: "o", method: { type: "card" } }, "method.token"],
    [
      "a token with odd characters",
      { orderId: "o", method: { type: "card", token: "tok visa;" } },
      "method.token",
    ],
  ])("answers 400 with errors[] for %s", async (_name, body, path) => {
    const response = await postPayment("u-400", body);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toContain(path);
  });

  it("answers 401 without a user and 400 without an Idempotency-Key", async () => {
    const noUser = await exports.default.fetch("http://payments/api/payments", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "k" },
      body: JSON.stringify(cardBody("o", "tok_visa")),
    });
    expect(noUser.status).toBe(401);
    const noKey = await postPayment("u-nokey", cardBody("o", "tok_visa"), { key: null });
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toMatchObject({ code: "idempotency_key_required" });
  });
});
