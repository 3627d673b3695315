import { env } from "cloudflare:workers";
import type { EventEnvelope } from "@edge-shop/contracts";
import { newEvent } from "@edge-shop/worker-kit";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { recordRefund } from "../src/domain/refund";
import { recordSuccess } from "../src/domain/settle";
import {
  attemptsOf,
  deliver,
  insertPayment,
  outboxEventsOf,
  seedOrder,
  sendWebhook,
  stripeEvent,
} from "./helpers";

// A payment event is written to the outbox only by the writer whose guarded change won: a webhook racing the
// refund consumer, or copies of one change applied at once, announce it once.
const refundedOrder = (orderId: string, userId: string): EventEnvelope =>
  newEvent(
    "order.refunded",
    { orderId, userId, amount: 2500, currency: "USD" },
    { source: "orders", correlationId: "c" },
  );

async function succeededPayment() {
  const order = await seedOrder();
  const payment = await insertPayment(order, {
    status: "succeeded",
    providerRef: `pi_race_${crypto.randomUUID()}`,
    orderConfirmedAt: Date.now(),
  });
  return { order, payment };
}

const eventsOf = async (paymentId: string, type: string) =>
  (await outboxEventsOf(paymentId)).filter((e) => e.type === type && e.destination === "orders-queue");

describe("payment events only from the change that won", () => {
  it("charge.refunded racing the refund consumer (order.refunded): one payment.refunded", async () => {
    for (let round = 0; round < 5; round++) {
      const { order, payment } = await succeededPayment();
      const webhook = stripeEvent("charge.refunded", {
        id: "ch_race",
        payment_intent: payment.providerRef,
        amount: 2500,
        amount_refunded: 2500,
        refunded: true,
      });
      const [sent, consumed] = await Promise.all([
        sendWebhook(webhook),
        deliver([refundedOrder(order.id, order.userId)]),
      ]);
      expect(sent.status).toBe(200);
      expect(consumed.result.explicitAcks).toHaveLength(1);
      expect((await attemptsOf(order.id))[0]).toMatchObject({ status: "refunded", amountRefunded: 2500 });
      expect(await eventsOf(payment.id, "payment.refunded")).toHaveLength(1);
    }
  });

  it("several deliveries of a refund (different event ids) applied at once: one payment.refunded", async () => {
    const { order, payment } = await succeededPayment();
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        sendWebhook(
          stripeEvent("charge.refunded", {
            id: "ch_same",
            payment_intent: payment.providerRef,
            amount: 2500,
            amount_refunded: 1000,
          }),
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await attemptsOf(order.id))[0]).toMatchObject({ status: "succeeded", amountRefunded: 1000 });
    const events = await eventsOf(payment.id, "payment.refunded");
    expect(events.map((e) => e.data?.amount)).toEqual([1000]);
  });

  it("partial refunds recorded at once add up exactly: the events sum to what was refunded", async () => {
    const { payment } = await succeededPayment();
    const db = database(env.DB);
    const t = () => ({ from: ["succeeded" as const], correlationId: "c" });
    // Each writer read the payment before any of them wrote; the ones that lose record nothing.
    const results = await Promise.all(
      [500, 1000, 2500].map((total) => recordRefund(env, db, payment, total, t())),
    );
    expect(results.filter((r) => r.won)).toHaveLength(1);
    const [row] = await attemptsOf(payment.orderId);
    const events = await eventsOf(payment.id, "payment.refunded");
    expect(events).toHaveLength(1);
    expect(events[0]?.data?.amount).toBe(row?.amountRefunded);
  });

  it("a success applied by several writers at once: one payment.succeeded, one confirmation", async () => {
    const order = await seedOrder();
    const payment = await insertPayment(order, {
      status: "requires_action",
      nextActionUrl: "https://x.test",
    });
    const db = database(env.DB);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        recordSuccess(
          env,
          db,
          payment,
          { items: order.items },
          { from: ["requires_action"], correlationId: "c" },
        ),
      ),
    );
    expect(results.filter((r) => r.won)).toHaveLength(1);
    expect(results.every((r) => r.payment.status === "succeeded")).toBe(true);
    expect(await eventsOf(payment.id, "payment.succeeded")).toHaveLength(1);
  });
});
