import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { idempotencyKeys, outbox } from "@edge-shop/worker-kit";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { payments, webhookEvents } from "../src/db/schema";
import worker from "../src/index";
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

async function runCron() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const longAgo = () => Date.now() - 60 * 60 * 1000;

describe("scheduled maintenance", () => {
  it("republishes outbox rows whose publish failed", async () => {
    const eventId = crypto.randomUUID();
    const body = JSON.stringify({ id: eventId, type: "payment.failed" });
    await db()
      .insert(outbox)
      .values({
        id: `${eventId}:orders-queue`,
        eventId,
        destination: "orders-queue",
        body,
        createdAt: longAgo(),
      });
    await runCron();
    const [row] = await db().select().from(outbox).where(eq(outbox.eventId, eventId));
    expect(row?.sentAt).not.toBeNull();
    expect(row?.attempts).toBe(1);
  });

  it("deletes expired idempotency keys and keeps live ones", async () => {
    const now = Date.now();
    const key = (k: string, expiresAt: number) => ({
      userId: "u-cron",
      key: k,
      requestHash: "h",
      state: "done" as const,
      claim: "c",
      createdAt: now - 86_400_000,
      expiresAt,
    });
    await db()
      .insert(idempotencyKeys)
      .values([key("expired", now - 1000), key("live", now + 60_000)]);
    await runCron();
    const left = await db().select().from(idempotencyKeys).where(eq(idempotencyKeys.userId, "u-cron"));
    expect(left.map((k) => k.key)).toEqual(["live"]);
  });

  it("records an attempt left processing by a dead request as failed (abandoned), freeing the order", async () => {
    const order = await seedOrder();
    const id = crypto.randomUUID();
    await db().insert(payments).values({
      id,
      orderId: order.id,
      userId: order.userId,
      status: "processing",
      amount: 2500,
      currency: "USD",
      provider: "simulator",
      createdAt: longAgo(),
      updatedAt: longAgo(),
    });
    await runCron();
    const [row] = await attemptsOf(order.id);
    expect(row).toMatchObject({ status: "failed", failureReason: "abandoned" });
    expect((await outboxEventsOf(id)).map((e) => e.type)).toContain("payment.failed");
    expect((await postPayment(order.userId, cardBody(order.id, "tok_visa"))).status).toBe(201);
  });

  it("asks orders again about a succeeded payment it did not confirm, and refunds it if the order was cancelled", async () => {
    const confirmLater = await seedOrder({ failMarkPaid: true });
    const cancelled = await seedOrder({ failMarkPaid: true });
    const a = await paymentOf(await postPayment(confirmLater.userId, cardBody(confirmLater.id, "tok_visa")));
    const b = await paymentOf(await postPayment(cancelled.userId, cardBody(cancelled.id, "tok_visa")));
    // Orders is back; one order expired meanwhile.
    await ordersStub.put({ ...confirmLater, failMarkPaid: false });
    await ordersStub.put({ ...cancelled, failMarkPaid: false, status: "cancelled" });
    for (const id of [a.id, b.id])
      await db().update(payments).set({ updatedAt: longAgo() }).where(eq(payments.id, id));

    await runCron();
    const [first] = await attemptsOf(confirmLater.id);
    expect(first?.status).toBe("succeeded");
    expect(first?.orderConfirmedAt).not.toBeNull();
    expect((await ordersStub.calls(confirmLater.id)).map((c) => c.paymentId)).toEqual([a.id, a.id]);
    const [second] = await attemptsOf(cancelled.id);
    expect(second?.status).toBe("refunded");
  });
});

describe("retention", () => {
  it("forgets provider webhook ids after EVENT_RETENTION_DAYS, keeping recent ones", async () => {
    const day = 24 * 3600_000;
    const oldId = `evt_old_${crypto.randomUUID()}`;
    const newId = `evt_new_${crypto.randomUUID()}`;
    await db()
      .insert(webhookEvents)
      .values([
        { id: oldId, type: "payment_intent.succeeded", receivedAt: Date.now() - 31 * day },
        { id: newId, type: "payment_intent.succeeded", receivedAt: Date.now() - 29 * day },
      ]);
    await runCron();
    const left = await db().select({ id: webhookEvents.id }).from(webhookEvents);
    expect(left.map((r) => r.id)).toContain(newId);
    expect(left.map((r) => r.id)).not.toContain(oldId);
  });
});
