import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signWebhook } from "../../../packages/worker-kit/testing/webhook-signature";
import { database } from "../src/db/client";
import { refunds } from "../src/db/schema";
import {
  attemptsOf,
  cardBody,
  insertPayment,
  ordersStub,
  outboxEventsOf,
  paymentOf,
  postPayment,
  SECRET,
  seedOrder,
  sendWebhook,
  stripeEvent,
} from "./helpers";

async function paidOrder() {
  const order = await seedOrder();
  const payment = await paymentOf(await postPayment(order.userId, cardBody(order.id, "tok_visa")));
  return { order, payment };
}

describe("POST /api/payments/webhook: Stripe-Signature, verified by the SDK", () => {
  it("accepts a correctly signed event of a type it ignores", async () => {
    const response = await sendWebhook(stripeEvent("customer.created", { id: "cus_1" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
  });

  it("refuses a wrong signature, another secret, or a tampered body with 401", async () => {
    const body = stripeEvent("customer.created", { id: "cus_2" });
    const wrongSecret = await sendWebhook(body, await signWebhook(body, "whsec_other"));
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ code: "invalid_signature" });
    const tampered = await sendWebhook(body.replace("cus_2", "cus_3"), await signWebhook(body, SECRET));
    expect(tampered.status).toBe(401);
  });

  it("refuses a missing or malformed header with 401, and the old Payment-Signature header", async () => {
    const body = stripeEvent("customer.created", { id: "cus_4" });
    for (const header of [null, "garbage", "t=abc,v1=00", `t=${Math.floor(Date.now() / 1000)}`, "v1=abcd"]) {
      const response = await sendWebhook(body, header);
      expect(response.status, String(header)).toBe(401);
    }
    const old = await sendWebhook(body, null, { "payment-signature": await signWebhook(body, SECRET) });
    expect(old.status).toBe(401);
  });

  it("refuses a signature older than 5 minutes (a replay), even correctly signed", async () => {
    const body = stripeEvent("customer.created", { id: "cus_5" });
    const now = Math.floor(Date.now() / 1000);
    const stale = await sendWebhook(body, await signWebhook(body, SECRET, now - 301));
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ code: "stale_signature" });
    // A stale timestamp with a wrong signature is just a wrong signature.
    const forged = await sendWebhook(body, await signWebhook(body, "whsec_other", now - 600));
    expect(await forged.json()).toMatchObject({ code: "invalid_signature" });
    expect((await sendWebhook(body, await signWebhook(body, SECRET, now - 290))).status).toBe(200);
  });

  it("accepts any of several v1 signatures (a secret being rolled)", async () => {
    const body = stripeEvent("customer.created", { id: "cus_6" });
    const good = await signWebhook(body, SECRET);
    const bad = await signWebhook(body, "whsec_old");
    const [t, v1] = good.split(",");
    expect((await sendWebhook(body, `${t},${bad.split(",")[1]},${v1}`)).status).toBe(200);
  });

  it("answers 400 for a signed body that is not an event", async () => {
    expect((await sendWebhook("{not json")).status).toBe(400);
    const response = await sendWebhook(JSON.stringify({ id: "evt_x" }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "validation_failed" });
  });
});

describe("POST /api/payments/webhook: effects", () => {
  it("charge.refunded for all of it refunds the payment once; a replayed event is 200 with no second effect", async () => {
    const { payment } = await paidOrder();
    const body = stripeEvent("charge.refunded", {
      id: "ch_1",
      payment_intent: `pi_sim_${payment.id}`,
      amount: payment.amount,
      amount_refunded: payment.amount,
      refunded: true,
      refunds: { data: [{ id: "re_dash_1" }] },
    });
    expect((await sendWebhook(body)).status).toBe(200);
    const duplicate = await sendWebhook(body);
    expect(duplicate.status).toBe(200);
    expect(await duplicate.json()).toEqual({ received: true });

    const [row] = await attemptsOf(payment.orderId);
    expect(row).toMatchObject({ status: "refunded", amountRefunded: payment.amount, refundRef: "re_dash_1" });
    const refunds = (await outboxEventsOf(payment.id)).filter((e) => e.type === "payment.refunded");
    // One event, to notifications (the customer) and to orders (its paid order becomes refunded).
    expect(refunds.map((e) => e.destination).sort()).toEqual(["notifications-queue", "orders-queue"]);
    expect(refunds[0]?.data).toMatchObject({
      amount: payment.amount,
      amountRefunded: payment.amount,
      partial: false,
    });
  });

  it("charge.refunded below the charge is a partial refund; the next one completes it; an older one changes nothing", async () => {
    const { payment } = await paidOrder();
    const refund = (amountRefunded: number) =>
      stripeEvent("charge.refunded", {
        id: "ch_2",
        payment_intent: `pi_sim_${payment.id}`,
        amount: 2500,
        amount_refunded: amountRefunded,
        refunded: amountRefunded === 2500,
      });
    expect((await sendWebhook(refund(1000))).status).toBe(200);
    let [row] = await attemptsOf(payment.orderId);
    expect(row).toMatchObject({ status: "succeeded", amountRefunded: 1000 });

    expect((await sendWebhook(refund(2500))).status).toBe(200);
    expect((await sendWebhook(refund(1000))).status).toBe(200);
    [row] = await attemptsOf(payment.orderId);
    expect(row).toMatchObject({ status: "refunded", amountRefunded: 2500 });
    const events = (await outboxEventsOf(payment.id)).filter(
      (e) => e.type === "payment.refunded" && e.destination === "orders-queue",
    );
    expect(
      events.map((e) => e.data).sort((a, b) => Number(a?.amountRefunded) - Number(b?.amountRefunded)),
    ).toEqual([
      expect.objectContaining({ amount: 1000, amountRefunded: 1000, partial: true }),
      expect.objectContaining({ amount: 1500, amountRefunded: 2500, partial: false }),
    ]);
  });

  it("charge.refunded whose total includes one of our refunds still being recorded leaves that refund to its request", async () => {
    const { payment } = await paidOrder();
    const now = Date.now();
    await database(env.DB)
      .insert(refunds)
      .values({
        id: `rf-${crypto.randomUUID()}`,
        paymentId: payment.id,
        orderId: payment.orderId,
        amount: 1000,
        currency: payment.currency,
        restock: false,
        reason: "returned",
        status: "pending",
        providerRef: null,
        createdAt: now,
        updatedAt: now,
      });
    const charge = (amountRefunded: number) =>
      stripeEvent("charge.refunded", {
        id: "ch_3",
        payment_intent: `pi_sim_${payment.id}`,
        amount: 2500,
        amount_refunded: amountRefunded,
        refunded: false,
      });
    // Only our pending 1000 so far: nothing to record (the request records it once its call returns).
    expect((await sendWebhook(charge(1000))).status).toBe(200);
    let [row] = await attemptsOf(payment.orderId);
    expect(row).toMatchObject({ status: "succeeded", amountRefunded: 0 });
    // Another 500 refunded elsewhere (the dashboard): that part is recorded.
    expect((await sendWebhook(charge(1500))).status).toBe(200);
    [row] = await attemptsOf(payment.orderId);
    expect(row).toMatchObject({ status: "succeeded", amountRefunded: 500 });
  });

  it("payment_intent.succeeded settles an attempt whose outcome was unknown: succeeded, order paid", async () => {
    const order = await seedOrder();
    const payment = await insertPayment(order, { status: "processing", providerRef: "pi_unknown_1" });
    const body = stripeEvent("payment_intent.succeeded", {
      id: "pi_unknown_1",
      status: "succeeded",
      metadata: { payment_id: payment.id },
    });
    expect((await sendWebhook(body)).status).toBe(200);
    expect((await attemptsOf(order.id))[0]).toMatchObject({
      status: "succeeded",
      orderConfirmedAt: expect.any(Number),
    });
    expect((await ordersStub.calls(order.id)).map((c) => c.paymentId)).toEqual([payment.id]);
    const succeeded = (await outboxEventsOf(payment.id)).filter((e) => e.type === "payment.succeeded");
    expect(succeeded[0]?.data?.items).toEqual(order.items);
  });

  it("payment_intent.requires_action for an unknown outcome records where to authenticate", async () => {
    const order = await seedOrder();
    const payment = await insertPayment(order, { status: "processing", providerRef: "pi_3ds_1" });
    const url = "https://hooks.stripe.test/3ds/pi_3ds_1";
    const body = stripeEvent("payment_intent.requires_action", {
      id: "pi_3ds_1",
      status: "requires_action",
      next_action: { type: "redirect_to_url", redirect_to_url: { url } },
      metadata: { payment_id: payment.id },
    });
    expect((await sendWebhook(body)).status).toBe(200);
    expect((await attemptsOf(order.id))[0]).toMatchObject({ status: "requires_action", nextActionUrl: url });
  });

  it("payment_intent.payment_failed after a failed authentication: failed, and the order may be paid again", async () => {
    const order = await seedOrder();
    const payment = await insertPayment(order, {
      status: "requires_action",
      nextActionUrl: "https://x.test/3ds",
    });
    const body = stripeEvent("payment_intent.payment_failed", {
      id: `pi_sim_${payment.id}`,
      status: "requires_payment_method",
      last_payment_error: { type: "card_error", code: "payment_intent_authentication_failure" },
      metadata: { payment_id: payment.id },
    });
    expect((await sendWebhook(body)).status).toBe(200);
    expect((await attemptsOf(order.id))[0]).toMatchObject({
      status: "failed",
      failureReason: "authentication_failed",
      nextActionUrl: null,
    });
    expect((await outboxEventsOf(payment.id)).map((e) => e.type)).toContain("payment.failed");
    expect((await postPayment(order.userId, cardBody(order.id, "tok_visa"))).status).toBe(201);
  });

  it("payment_intent.succeeded for an attempt recorded failed (timeout) makes it the order's payment", async () => {
    const order = await seedOrder();
    const failed = await paymentOf(
      await postPayment(order.userId, cardBody(order.id, "tok_processingError")),
    );
    const body = stripeEvent("payment_intent.succeeded", {
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
  });

  it("payment_intent.succeeded for a failed attempt of an order already paid refunds that late charge", async () => {
    const order = await seedOrder({ failMarkPaid: true });
    const failed = await paymentOf(
      await postPayment(order.userId, cardBody(order.id, "tok_processingError")),
    );
    await postPayment(order.userId, cardBody(order.id, "tok_visa"));
    const body = stripeEvent("payment_intent.succeeded", {
      id: "pi_late",
      metadata: { payment_id: failed.id },
    });
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
    const body = stripeEvent("payment_intent.succeeded", {
      id: "pi_late_2",
      metadata: { payment_id: failed.id },
    });
    expect((await sendWebhook(body)).status).toBe(200);
    const [row] = await attemptsOf(order.id);
    expect(row).toMatchObject({ status: "refunded", refundRef: `re_sim_${failed.id}` });
  });

  it("acknowledges events about unknown payments without effect", async () => {
    const body = stripeEvent("payment_intent.payment_failed", { id: "pi_unknown", metadata: {} });
    expect((await sendWebhook(body)).status).toBe(200);
  });
});
