import { env } from "cloudflare:workers";
import { inbox, newEvent } from "@edge-shop/worker-kit";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { countingD1 } from "../../../packages/worker-kit/test/call-counters";
import { database } from "../src/db/client";
import { findOrder } from "../src/db/queries/orders";
import { orders } from "../src/db/schema";
import { markPaid } from "../src/domain/mark-paid";
import { applyPaymentEvents, handlePaymentEvent } from "../src/domain/payment-events";
import { db, pid, placeOrder, user } from "./helpers";

function paymentEvent(
  order: { id: string; userId: string; total: number; currency: string },
  type: "payment.succeeded" | "payment.failed",
  paymentId: string,
) {
  const money = {
    paymentId,
    orderId: order.id,
    userId: order.userId,
    amount: order.total,
    currency: order.currency,
  };
  return type === "payment.succeeded"
    ? newEvent(type, { ...money, items: [] }, { source: "payments", correlationId: "c" })
    : newEvent(type, { ...money, reason: "card_declined" }, { source: "payments", correlationId: "c" });
}

async function processed(eventId: string) {
  return (await db.select().from(inbox).where(eq(inbox.eventId, eventId))).length;
}

// What a payment costs orders, pinned (round trips, never time): getOrder is one read, markPaid one batch, and a
// payment.succeeded from the queue (sent only when markPaid got no answer, so it may come after all) one batch
// with its inbox row, shared with the other events of its queue batch.
describe("orders' share of a payment: platform calls", () => {
  it("getOrder reads the order and its lines in one read", async () => {
    const counter = countingD1(env.DB);
    const order = await placeOrder(user(), [
      { productId: pid("usd", 250, 5), quantity: 2 },
      { productId: pid("usd", 100, 5), quantity: 1 },
    ]);
    const found = await findOrder(database(counter.d1), order.id);
    expect(counter.calls).toMatchObject({ reads: 1, writes: 0, batches: 0 });
    expect(found?.items.map((i) => i.lineTotal)).toEqual(order.items.map((i) => i.lineTotal));
    expect(await findOrder(database(counter.d1), crypto.randomUUID())).toBeUndefined();
  });

  it("markPaid then its event: one batch each; a redelivery is one batch and changes nothing", async () => {
    const counter = countingD1(env.DB);
    const d = database(counter.d1);
    const order = await placeOrder(user(), [{ productId: pid("usd", 300, 5), quantity: 1 }]);
    expect(await markPaid(d, order.id, "pay-a")).toEqual({ status: "paid", paymentId: "pay-a" });
    expect(counter.calls).toMatchObject({ reads: 0, writes: 0, batches: 1 });

    const event = paymentEvent(order, "payment.succeeded", "pay-a");
    counter.reset();
    await handlePaymentEvent(env, d, event);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 0, batches: 1 });
    expect(await processed(event.id)).toBe(1);

    counter.reset();
    await handlePaymentEvent(env, d, event);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 0, batches: 1 });
    expect(await findOrder(db, order.id)).toMatchObject({ status: "paid", paymentId: "pay-a" });
  });

  it("the event alone pays a pending order; a processed event never applies again", async () => {
    const d = database(env.DB);
    const first = await placeOrder(user(), [{ productId: pid("usd", 300, 5), quantity: 1 }]);
    const event = paymentEvent(first, "payment.succeeded", "pay-b");
    await handlePaymentEvent(env, d, event);
    expect(await findOrder(db, first.id)).toMatchObject({ status: "paid", paymentId: "pay-b" });

    // An order put back to pending by hand (never by the state machine): the inbox alone keeps the replay out.
    await db.update(orders).set({ status: "pending" }).where(eq(orders.id, first.id));
    await handlePaymentEvent(env, d, event);
    expect(await findOrder(db, first.id)).toMatchObject({ status: "pending" });
  });

  it("an unknown order is not remembered (the event is retried), a failed payment is one batch", async () => {
    const counter = countingD1(env.DB);
    const d = database(counter.d1);
    const ghost = { id: crypto.randomUUID(), userId: "u", total: 1, currency: "USD" };
    const lost = paymentEvent(ghost, "payment.succeeded", "pay-c");
    await expect(handlePaymentEvent(env, d, lost)).rejects.toThrow(/unknown order/);
    expect(await processed(lost.id)).toBe(0);

    const order = await placeOrder(user(), [{ productId: pid("usd", 300, 5), quantity: 1 }]);
    const failed = paymentEvent(order, "payment.failed", "pay-d");
    counter.reset();
    await handlePaymentEvent(env, d, failed);
    await handlePaymentEvent(env, d, failed);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 0, batches: 2 });
    expect(await processed(failed.id)).toBe(1);
    expect(await findOrder(db, order.id)).toMatchObject({ status: "pending" });
  });

  it("a queue batch of events is one D1 batch, applied as one by one would", async () => {
    const counter = countingD1(env.DB);
    const line = () => [{ productId: pid("usd", 300, 5), quantity: 1 }];
    const [paid, twice, declined] = [
      await placeOrder(user(), line()),
      await placeOrder(user(), line()),
      await placeOrder(user(), line()),
    ];
    const ghost = { id: crypto.randomUUID(), userId: "u", total: 1, currency: "USD" };
    const first = paymentEvent(twice, "payment.succeeded", "pay-first");
    const events = [
      paymentEvent(paid, "payment.succeeded", "pay-e"),
      first,
      // A second payment of the same order, later in the same batch: it must see the first one's change.
      paymentEvent(twice, "payment.succeeded", "pay-second"),
      paymentEvent(ghost, "payment.succeeded", "pay-ghost"),
      paymentEvent(declined, "payment.failed", "pay-f"),
    ];
    const outcomes = await applyPaymentEvents(env, database(counter.d1), events);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 0, batches: 1 });
    expect(events.map((e) => outcomes.get(e.id)?.ok)).toEqual([true, true, true, false, true]);
    expect(await findOrder(db, paid.id)).toMatchObject({ status: "paid", paymentId: "pay-e" });
    expect(await findOrder(db, twice.id)).toMatchObject({ status: "paid", paymentId: "pay-first" });
    expect(await findOrder(db, declined.id)).toMatchObject({ status: "pending" });
    expect(await processed(events[3]?.id ?? "")).toBe(0);
    expect(await processed(first.id)).toBe(1);

    // The same batch again (a redelivery): nothing changes, and the unknown order still fails alone.
    const again = await applyPaymentEvents(env, database(counter.d1), events);
    expect(events.map((e) => again.get(e.id)?.ok)).toEqual([true, true, true, false, true]);
    expect(await findOrder(db, twice.id)).toMatchObject({ status: "paid", paymentId: "pay-first" });
  });
});
