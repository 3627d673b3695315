import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type DeadLetterView, newEvent } from "@edge-shop/worker-kit";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { eventually } from "../../../packages/worker-kit/testing/eventually";
import { deadLetters, inbox, messageFailures, orders } from "../src/db/schema";
import worker from "../src/index";
import { call, db, user } from "./helpers";

const admin = user("admin");

function paymentSucceeded(orderId: string, correlationId = `corr-${crypto.randomUUID()}`) {
  return newEvent(
    "payment.succeeded",
    {
      paymentId: `pay-${crypto.randomUUID()}`,
      orderId,
      userId: "user-dlq",
      amount: 1200,
      currency: "USD",
      items: [],
    },
    { source: "payments", correlationId },
  );
}

async function deadLettersNow(): Promise<DeadLetterView[]> {
  const response = await call("/internal/admin/dead-letters?limit=1000", { as: admin });
  expect(response.status).toBe(200);
  return ((await response.json()) as { deadLetters: DeadLetterView[] }).deadLetters;
}

/** The fault fixed: the order the event is about now exists, pending. */
async function createPendingOrder(orderId: string) {
  const now = Date.now();
  await db.insert(orders).values({
    id: orderId,
    userId: "user-dlq",
    status: "pending",
    total: 1200,
    currency: "USD",
    shippingAddress: "{}",
    paymentId: null,
    transitionId: null,
    stockReleasedAt: null,
    createdAt: now,
    updatedAt: now,
  });
}

async function deliver(queue: string, bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body) => ({ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

// A real dead-letter trip takes a few seconds: two deliveries, a retry delay, then the dead-letter queue's batch.
const TRIP_MS = 30_000;

describe("orders-queue dead letters", () => {
  it(
    "stores a poison message once its retries are spent, with its attempts and last error",
    async () => {
      const event = paymentSucceeded(crypto.randomUUID(), "corr-poison");
      // A real trip: the queue delivers, the consumer throws, the queue retries, then moves it to the DLQ.
      await env.REPLAY_QUEUE.send(event, { contentType: "json" });
      const item = await eventually(async () => (await deadLettersNow()).find((d) => d.eventId === event.id));
      expect(item).toMatchObject({
        service: "orders",
        queue: "orders-queue",
        eventType: "payment.succeeded",
        correlationId: "corr-poison",
        attempts: 2,
        replayedAt: null,
        body: event,
      });
      expect(item.id).toMatch(/^orders:/);
      expect(item.lastError).toContain("unknown order");
      // The failure record served its purpose.
      expect(await db.select().from(messageFailures).where(eq(messageFailures.key, event.id))).toEqual([]);
    },
    TRIP_MS,
  );

  it(
    "replays after the fault is fixed: processed exactly once, a second replay is 409",
    async () => {
      const orderId = crypto.randomUUID();
      const event = paymentSucceeded(orderId);
      await env.REPLAY_QUEUE.send(event, { contentType: "json" });
      const dead = await eventually(async () => (await deadLettersNow()).find((d) => d.eventId === event.id));

      await createPendingOrder(orderId);
      const replay = await call(`/internal/admin/dead-letters/${dead.id}/replay`, {
        method: "POST",
        as: admin,
      });
      expect(replay.status).toBe(202);
      const replayed = ((await replay.json()) as { deadLetter: DeadLetterView }).deadLetter;
      expect(replayed.replayedAt).not.toBeNull();

      const paid = await eventually(async () => {
        const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
        return order?.status === "paid" ? order : undefined;
      });
      expect(paid.paymentId).toBe(event.data.paymentId);

      const again = await call(`/internal/admin/dead-letters/${dead.id}/replay`, {
        method: "POST",
        as: admin,
      });
      expect(again.status).toBe(409);
      expect(((await again.json()) as { code: string }).code).toBe("already_replayed");

      // The queue may deliver the replayed message twice: the inbox makes the second one a no-op.
      const redelivered = await deliver("orders-queue", [event]);
      expect(redelivered.explicitAcks).toHaveLength(1);
      expect(await db.select().from(inbox).where(eq(inbox.eventId, event.id))).toHaveLength(1);
      const [after] = await db.select().from(orders).where(eq(orders.id, orderId));
      expect(after).toEqual(paid);
      expect((await deadLettersNow()).filter((d) => d.eventId === event.id)).toHaveLength(1);
    },
    TRIP_MS,
  );

  it("keeps one row when the dead-letter queue delivers a message twice", async () => {
    const event = paymentSucceeded(crypto.randomUUID());
    const batch = createMessageBatch("orders-queue-dlq", [
      { id: "dup-message", timestamp: new Date(), attempts: 1, body: event },
      { id: "dup-message", timestamp: new Date(), attempts: 2, body: event },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(2);
    expect(await db.select().from(deadLetters).where(eq(deadLetters.eventId, event.id))).toHaveLength(1);
  });

  it("records the last failure of a retried message and forgets it once handled", async () => {
    const orderId = crypto.randomUUID();
    const event = paymentSucceeded(orderId);
    const failed = await deliver("orders-queue", [event], 3);
    expect(failed.retryMessages).toHaveLength(1);
    const [failure] = await db.select().from(messageFailures).where(eq(messageFailures.key, event.id));
    expect(failure).toMatchObject({ queue: "orders-queue", attempts: 3 });
    expect(failure?.lastError).toContain("unknown order");

    await createPendingOrder(orderId);
    const handled = await deliver("orders-queue", [event], 4);
    expect(handled.explicitAcks).toHaveLength(1);
    expect(await db.select().from(messageFailures).where(eq(messageFailures.key, event.id))).toEqual([]);
  });

  it("stores a body that is no event at all, keyed by its message id", async () => {
    const result = await deliver("orders-queue-dlq", ["not an event"]);
    expect(result.explicitAcks).toHaveLength(1);
    const item = (await deadLettersNow()).find((d) => d.body === "not an event");
    expect(item).toMatchObject({ eventId: null, eventType: null, attempts: 1, lastError: null });
  });
});

describe("internal admin routes", () => {
  it("require the admin identity the gateway sets", async () => {
    expect((await call("/internal/admin/dead-letters")).status).toBe(401);
    expect((await call("/internal/admin/dead-letters", { as: user() })).status).toBe(403);
    expect((await call("/internal/admin/status", { as: user() })).status).toBe(403);
    const replay = await call(`/internal/admin/dead-letters/orders:${crypto.randomUUID()}/replay`, {
      method: "POST",
      as: user(),
    });
    expect(replay.status).toBe(403);
  });

  it("answer 404 for an unknown dead letter or one of another service, 400 for a bad limit", async () => {
    for (const id of [`orders:${crypto.randomUUID()}`, `payments:${crypto.randomUUID()}`, "nonsense"]) {
      const response = await call(`/internal/admin/dead-letters/${id}/replay`, { method: "POST", as: admin });
      expect(response.status).toBe(404);
    }
    const bad = await call("/internal/admin/dead-letters?limit=0", { as: admin });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("limit");
  });

  it("lists newest first", async () => {
    await deliver("orders-queue-dlq", [paymentSucceeded(crypto.randomUUID())]);
    await deliver("orders-queue-dlq", [paymentSucceeded(crypto.randomUUID())]);
    const response = await call("/internal/admin/dead-letters?limit=2", { as: admin });
    const body = (await response.json()) as { deadLetters: DeadLetterView[]; total: number };
    expect(body.deadLetters).toHaveLength(2);
    expect(body.total).toBeGreaterThanOrEqual(2);
    const [first, second] = body.deadLetters;
    expect(Date.parse(first?.receivedAt ?? "") >= Date.parse(second?.receivedAt ?? "")).toBe(true);
  });
});
