import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signWebhook } from "../../../packages/worker-kit/testing/webhook-signature";
import { payments } from "../src/db/schema";
import {
  attemptsOf,
  cardBody,
  db,
  ordersStub,
  outboxEventsOf,
  paymentOf,
  postPayment,
  seedOrder,
} from "./helpers";

const SECRET = "whsec_test_secret"; // vitest.config.ts

async function sendWebhook(body: string, header?: string | null) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const signed = header === undefined ? await signWebhook(body, SECRET) : header;
  if (signed !== null) headers["payment-signature"] = signed;
  return exports.default.fetch("http://payments/api/payments/webhook", { method: "POST", headers, body });
}

const event = (type: string, object: Record<string, unknown>, id = `evt_${crypto.randomUUID()}`) =>
  JSON.stringify({ id, type, created: Math.floor(Date.now() / 1000), data: { object } });

async function paidOrder() {
  const order = await seedOrder();
  const payment = await paymentOf(await postPayment(order.userId, cardBody(order.id, "tok_visa")));
  return { order, payment };
}

describe("POST /api/payments/webhook: signature", () => {
  it("accepts a correctly signed event of a type it ignores", async () => {
    const response = await sendWebhook(event("customer.created", { id: "cus_1" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
  });

  it("refuses a wrong signature, another secret, or a tampered body with 401", async () => {
    const body = event("customer.created", { id: "cus_2" });
    const wrongSecret = await sendWebhook(body, await signWebhook(body, "whsec_other"));
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ code: "invalid_signature" });
    const tampered = await sendWebhook(body.replace("cus_2", "cus_3"), await signWebhook(body, SECRET));
    expect(tampered.status).toBe(401);
  });

  it("refuses a missing or malformed header with 401", async () => {
    const body = event("customer.created", { id: "cus_4" });
    for (const header of [null, "garbage", "t=abc,v1=00", `t=${Math.floor(Date.now() / 1000)}`, "v1=abcd"]) {
      const response = await sendWebhook(body, header);
      expect(response.status, String(header)).toBe(401);
    }
  });

  it("refuses timestamps older than 5 minutes or too far ahead, even correctly signed", async () => {
    const body = event("customer.created", { id: "cus_5" });
    const now = Math.floor(Date.now() / 1000);
    for (const t of [now - 301, now + 301]) {
      const response = await sendWebhook(body, await signWebhook(body, SECRET, t));
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: "stale_signature" });
    }
    expect((await sendWebhook(body, await signWebhook(body, SECRET, now - 290))).status).toBe(200);
  });

  it("accepts any of several v1 signatures (secret rotation)", async () => {
    const body = event("customer.created", { id: "cus_6" });
    const good = await signWebhook(body, SECRET);
    const bad = await signWebhook(body, "whsec_old");
    const [t, v1] = good.split(",");
    const header = `${t},${bad.split(",")[1]},${v1}`;
    expect((await sendWebhook(body, header)).status).toBe(200);
  });

  it("answers 400 for a signed body that is not an event", async () => {
    expect((await sendWebhook("{not json")).status).toBe(400);
    const response = await sendWebhook(JSON.stringify({ id: "evt_x" }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "validation_failed" });
  });
});

describe("POST /api/payments/webhook: effects", () => {
  it("charge.refunded marks the payment refunded once; a redelivery is 200 with no second effect", async () => {
    const { payment } = await paidOrder();
    const body = event("charge.refunded", {
      id: "ch_1",
      payment_intent: `pi_sim_${payment.id}`,
      refunded: true,
    });
    const first = await sendWebhook(body);
    expect(first.status).toBe(200);
    const duplicate = await sendWebhook(body);
    expect(duplicate.status).toBe(200);
    expect(await duplicate.json()).toEqual({ received: true });

    const [row] = await attemptsOf(payment.orderId);
    expect(row?.status).toBe("refunded");
    const refunds = (await outboxEventsOf(payment.id)).filter((e) => e.type === "payment.refunded");
    // One event, to notifications (the customer) and to orders (its paid order becomes refunded).
    expect(refunds.map((e) => e.destination).sort()).toEqual(["notifications-queue", "orders-queue"]);
  });

  it("payment_intent.succeeded for an attempt recorded failed (timeout) makes it the order's payment", async () => {
    const order = await seedOrder();
    const failed = await paymentOf(
      await postPayment(order.userId, cardBody(order.id, "tok_processingError")),
    );
    const body = event("payment_intent.succeeded", {
      id: `pi_late_${failed.id}`,
      status: "succeeded",
      metadata: { payment_id: failed.id, order_id: order.id },
    });
    expect((await sendWebhook(body)).status).toBe(200);
    const [row] = await attemptsOf(order.id);
    expect(row).toMatchObject({
      status: "succeeded",
      failureReason: null,
      providerRef: `pi_late_${failed.id}`,
    });
    expect((await ordersStub.calls(order.id)).map((c) => c.paymentId)).toEqual([failed.id]);
    const succeeded = (await outboxEventsOf(failed.id)).filter((e) => e.type === "payment.succeeded");
    expect(succeeded[0]?.data?.items).toEqual(order.items);
  });

  it("payment_intent.succeeded for a failed attempt of an order already paid refunds that late charge", async () => {
    const order = await seedOrder({ failMarkPaid: true });
    const failed = await paymentOf(
      await postPayment(order.userId, cardBody(order.id, "tok_processingError")),
    );
    await postPayment(order.userId, cardBody(order.id, "tok_visa"));
    const body = event("payment_intent.succeeded", { id: "pi_late", metadata: { payment_id: failed.id } });
    expect((await sendWebhook(body)).status).toBe(200);
    const statuses = (await attemptsOf(order.id)).map((p) => [p.id === failed.id, p.status]);
    expect(statuses).toContainEqual([true, "refunded"]);
    expect(statuses).toContainEqual([false, "succeeded"]);
  });

  it("refunds a late charge when orders says the order was settled by another payment", async () => {
    const order = await seedOrder();
    const failed = await paymentOf(
      await postPayment(order.userId, cardBody(order.id, "tok_processingError")),
    );
    // Meanwhile another payment paid the order, which was then cancelled and refunded.
    await ordersStub.put({ ...order, status: "refunded", paymentId: "pay-earlier" });
    const body = event("payment_intent.succeeded", { id: "pi_late_2", metadata: { payment_id: failed.id } });
    expect((await sendWebhook(body)).status).toBe(200);
    const [row] = await attemptsOf(order.id);
    expect(row).toMatchObject({ status: "refunded", refundRef: `re_sim_${failed.id}` });
  });

  it("answers 409 (provider retries later) while the attempt is still being charged", async () => {
    const order = await seedOrder();
    const id = crypto.randomUUID();
    const now = Date.now();
    await db().insert(payments).values({
      id,
      orderId: order.id,
      userId: order.userId,
      status: "processing",
      amount: order.total,
      currency: order.currency,
      provider: "simulator",
      createdAt: now,
      updatedAt: now,
    });
    const body = event("payment_intent.succeeded", { id: "pi_x", metadata: { payment_id: id } });
    const response = await sendWebhook(body);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: "payment_in_progress" });
  });

  it("acknowledges events about unknown payments without effect", async () => {
    const body = event("payment_intent.payment_failed", { id: "pi_unknown", metadata: {} });
    expect((await sendWebhook(body)).status).toBe(200);
  });
});
