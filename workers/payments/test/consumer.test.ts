import { env } from "cloudflare:workers";
import type { EventEnvelope } from "@edge-shop/contracts";
import { newEvent } from "@edge-shop/worker-kit";
import Stripe from "stripe";
import { afterEach, describe, expect, it, vi } from "vitest";
import { payments } from "../src/db/schema";
import { stripeProvider } from "../src/provider/stripe";
import { FakeStripe } from "./fake-stripe";
import {
  attemptsOf,
  cardBody,
  db,
  deliver,
  outboxEventsOf,
  paymentOf,
  postPayment,
  seedOrder,
} from "./helpers";

const refunded = (orderId: string, userId: string, amount = 2500): EventEnvelope =>
  newEvent(
    "order.refunded",
    { orderId, userId, amount, currency: "USD" },
    { source: "orders", correlationId: "req-refund" },
  );

async function paidOrder() {
  const order = await seedOrder();
  const payment = await paymentOf(await postPayment(order.userId, cardBody(order.id, "tok_visa")));
  return { order, payment };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("payments-queue consumer", () => {
  it("refunds the order's payment on order.refunded, once however often the event comes", async () => {
    const { order, payment } = await paidOrder();
    const event = refunded(order.id, order.userId);
    const first = await deliver([event, event]);
    expect(first.result.explicitAcks).toHaveLength(2);
    expect(first.result.retryMessages).toEqual([]);
    const second = await deliver([event]);
    expect(second.result.explicitAcks).toHaveLength(1);

    const [row] = await attemptsOf(order.id);
    expect(row).toMatchObject({ status: "refunded", refundRef: `re_sim_${payment.id}` });
    const refunds = (await outboxEventsOf(payment.id)).filter((e) => e.type === "payment.refunded");
    expect(refunds.map((e) => [e.destination, e.correlationId]).sort()).toEqual([
      ["notifications-queue", "req-refund"],
      ["orders-queue", "req-refund"],
    ]);
  });

  it("calls Stripe's refund once for a duplicated event", async () => {
    const order = await seedOrder();
    const fake = new FakeStripe();
    vi.spyOn(Stripe, "createFetchHttpClient").mockReturnValue(fake.client as never);
    const stripe = stripeProvider({
      baseUrl: "https://api.stripe.test",
      secretKey: "sk",
      httpClient: fake.client,
    });
    const charged = await stripe.charge({
      paymentId: "p",
      orderId: order.id,
      amount: 2500,
      currency: "USD",
      token: "pm_card_visa",
      idempotencyKey: "k",
      returnUrl: "https://shop.test/",
    });
    const now = Date.now();
    const id = crypto.randomUUID();
    await db().insert(payments).values({
      id,
      orderId: order.id,
      userId: order.userId,
      status: "succeeded",
      amount: 2500,
      currency: "USD",
      provider: "stripe",
      providerRef: charged.providerRef,
      orderConfirmedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    const stripeEnv = { ...env, PAYMENT_PROVIDER_SECRET: "sk_test" };
    const event = refunded(order.id, order.userId);
    await deliver([event], stripeEnv);
    await deliver([event], stripeEnv);
    const refunds = fake.requests.filter((r) => r.path === "/v1/refunds");
    expect(refunds.map((r) => [r.idempotencyKey, r.form.get("amount")])).toEqual([
      [`refund-${id}-0`, "2500"],
    ]);
    const [row] = await attemptsOf(order.id);
    expect(row).toMatchObject({ status: "refunded", refundRef: fake.refunds[0]?.id, amountRefunded: 2500 });
  });

  it("retries order.refunded while the order's payment is still being charged", async () => {
    const order = await seedOrder();
    const now = Date.now();
    await db().insert(payments).values({
      id: crypto.randomUUID(),
      orderId: order.id,
      userId: order.userId,
      status: "processing",
      amount: 2500,
      currency: "USD",
      provider: "simulator",
      createdAt: now,
      updatedAt: now,
    });
    const { result } = await deliver([refunded(order.id, order.userId)]);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
  });

  it("acks order.refunded for an order without a succeeded payment, and other order events, without effect", async () => {
    const order = await seedOrder();
    await postPayment(order.userId, cardBody(order.id, "tok_chargeDeclined"));
    const created = newEvent(
      "order.created",
      { orderId: order.id, userId: order.userId, items: order.items, total: 2500, currency: "USD" },
      { source: "orders", correlationId: "c" },
    );
    const { result } = await deliver([refunded(order.id, order.userId), created]);
    expect(result.explicitAcks).toHaveLength(2);
    expect((await attemptsOf(order.id)).map((p) => p.status)).toEqual(["failed"]);
  });

  it("retries only the malformed message of a batch", async () => {
    const { order } = await paidOrder();
    const good = refunded(order.id, order.userId);
    const { batch, result } = await deliver([{ id: "x", type: "order.refunded", data: {} }, good]);
    expect(result.explicitAcks).toEqual([batch.messages[1]?.id]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([batch.messages[0]?.id]);
  });
});
