import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Order } from "@edge-shop/contracts";
import {
  idempotencyKeys,
  newEvent,
  outboxInsert,
  publishCommitted,
  publishCommittedLater,
} from "@edge-shop/worker-kit";
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { countingD1, countingQueue } from "../../../packages/worker-kit/test/call-counters";
import { forwardedAs } from "../../../packages/worker-kit/testing/signed-caller";
import { app } from "../src/app";
import { database } from "../src/db/client";
import { address, db, outboxOf, outboxRowsOfEvent, pid, user } from "./helpers";

// Round trips per order creation, pinned: the benchmark's order floor counts them. Orders makes three D1 calls
// (claim the key; order + lines + outbox row + the key's stored answer in one batch; outbox row marked sent)
// and one queue send; products' reservation is one more batch behind the RPC (see products' tests).
describe("POST /api/orders: platform calls", () => {
  it("claims the key, commits order and answer in one batch, sends once and marks the row sent", async () => {
    const counter = countingD1(env.DB);
    const notifications = countingQueue(env.NOTIFICATIONS_QUEUE);
    const testEnv = { ...env, DB: counter.d1, NOTIFICATIONS_QUEUE: notifications.queue };
    const as = user();
    const key = crypto.randomUUID();
    const body = JSON.stringify({
      items: [{ productId: pid("usd", 250, 5), quantity: 2 }],
      shippingAddress: address,
    });
    const request = async () =>
      new Request("http://orders/api/orders", {
        method: "POST",
        headers: await forwardedAs(as, { "content-type": "application/json", "idempotency-key": key }),
        body,
      });
    const ctx = createExecutionContext();
    const response = await app.fetch(await request(), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    const text = await response.text();
    expect(response.status).toBe(201);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 2, batches: 1 });
    expect(notifications.sent).toHaveLength(1);

    const { order } = JSON.parse(text) as { order: Order };
    expect(await outboxOf(order.id)).toEqual([
      { type: "order.created", destination: "notifications-queue", sent: true },
    ]);
    const [stored] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, as.userId), eq(idempotencyKeys.key, key)));
    expect(stored).toMatchObject({ state: "done", responseStatus: 201, responseBody: text });

    // The replay is the claim attempt and one read, nothing else.
    counter.reset();
    const again = await app.fetch(await request(), testEnv, createExecutionContext());
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.text()).toBe(text);
    expect(counter.calls).toMatchObject({ reads: 1, writes: 1, batches: 0 });
    expect(notifications.sent).toHaveLength(1);
  });
});

describe("publishCommitted", () => {
  it("records a mixed outcome in one write: the sent row is sent, the failed one stays pending", async () => {
    const event = newEvent(
      "order.shipped",
      { orderId: `order-${crypto.randomUUID()}`, userId: "u" },
      { source: "orders", correlationId: "c" },
    );
    const destinations = ["notifications-queue", "nowhere"];
    await db.batch([outboxInsert(db, event, destinations)]);
    const counter = countingD1(env.DB);
    const queue = countingQueue(env.NOTIFICATIONS_QUEUE);
    const sent = await publishCommitted(database(counter.d1), { "notifications-queue": queue.queue }, [
      { event, destinations },
    ]);
    expect(sent).toBe(1);
    expect(queue.sent).toEqual([event]);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 1, batches: 0 });
    const rows = await outboxRowsOfEvent(event.id);
    const byDestination = Object.fromEntries(rows.map((row) => [row.destination, row]));
    expect(byDestination["notifications-queue"]).toMatchObject({ attempts: 1 });
    expect(byDestination["notifications-queue"]?.sentAt).toBeTypeOf("number");
    expect(byDestination.nowhere).toMatchObject({ attempts: 1, sentAt: null });
  });
});

describe("publishCommittedLater", () => {
  const shipped = () =>
    newEvent(
      "order.shipped",
      { orderId: `order-${crypto.randomUUID()}`, userId: "u" },
      { source: "orders", correlationId: "c" },
    );

  it("sends at once and marks the rows of every publish of the moment in one write after the answer", async () => {
    const events = [shipped(), shipped(), shipped()];
    const destinations = ["notifications-queue", "nowhere"];
    await db.batch([
      outboxInsert(db, events[0] as ReturnType<typeof shipped>, destinations),
      ...events.slice(1).map((event) => outboxInsert(db, event, ["notifications-queue"])),
    ]);
    const counter = countingD1(env.DB);
    const queue = countingQueue(env.NOTIFICATIONS_QUEUE);
    const handle = database(counter.d1);
    const queues = { "notifications-queue": queue.queue };
    const contexts = events.map(() => createExecutionContext());
    const sent = await Promise.all(
      events.map((event, i) =>
        publishCommittedLater(
          handle,
          queues,
          [{ event, destinations: i === 0 ? destinations : ["notifications-queue"] }],
          contexts[i] as ExecutionContext,
        ),
      ),
    );
    expect(sent).toEqual([1, 1, 1]);
    expect(queue.sent).toHaveLength(3);
    // Nothing is written before the window closes; then one write for the three publishes.
    expect(counter.calls).toMatchObject({ reads: 0, writes: 0, batches: 0 });
    for (const ctx of contexts) await waitOnExecutionContext(ctx);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 1, batches: 0 });
    for (const event of events) {
      const [row] = (await outboxRowsOfEvent(event.id)).filter(
        (r) => r.destination === "notifications-queue",
      );
      expect(row).toMatchObject({ attempts: 1 });
      expect(row?.sentAt).toBeTypeOf("number");
    }
    const [unsent] = (await outboxRowsOfEvent(events[0]?.id ?? "")).filter(
      (r) => r.destination === "nowhere",
    );
    expect(unsent).toMatchObject({ attempts: 1, sentAt: null });
  });

  it("marks more rows than D1 binds in one statement in several writes (49 rows each)", async () => {
    const events = Array.from({ length: 60 }, shipped);
    await db.batch([
      outboxInsert(db, events[0] as ReturnType<typeof shipped>, ["notifications-queue"]),
      ...events.slice(1).map((event) => outboxInsert(db, event, ["notifications-queue"])),
    ]);
    const counter = countingD1(env.DB);
    const queue = countingQueue(env.NOTIFICATIONS_QUEUE);
    const ctx = createExecutionContext();
    const sent = await publishCommittedLater(
      database(counter.d1),
      { "notifications-queue": queue.queue },
      events.map((event) => ({ event, destinations: ["notifications-queue"] })),
      ctx,
    );
    expect(sent).toBe(60);
    await waitOnExecutionContext(ctx);
    // Local D1 does not enforce the 100-parameter limit: the write count is what shows the split.
    expect(counter.calls).toMatchObject({ reads: 0, writes: 2, batches: 0 });
    for (const event of events) {
      const [row] = await outboxRowsOfEvent(event.id);
      expect(row?.sentAt).toBeTypeOf("number");
    }
  });

  it("a failed mark is only logged: the rows stay pending for the sweep", async () => {
    const event = shipped();
    await db.batch([outboxInsert(db, event, ["notifications-queue"])]);
    const failing = {
      ...env.DB,
      batch: env.DB.batch.bind(env.DB),
      prepare: () => {
        throw new Error("D1 unavailable");
      },
    } as unknown as D1Database;
    const ctx = createExecutionContext();
    const queue = countingQueue(env.NOTIFICATIONS_QUEUE);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      expect(
        await publishCommittedLater(
          database(failing),
          { "notifications-queue": queue.queue },
          [{ event, destinations: ["notifications-queue"] }],
          ctx,
        ),
      ).toBe(1);
      await waitOnExecutionContext(ctx);
      expect(warn.mock.calls.map((c) => String(c[0])).join("\n")).toContain("outbox publish not recorded");
    } finally {
      warn.mockRestore();
    }
    expect(await outboxRowsOfEvent(event.id)).toEqual([
      expect.objectContaining({ attempts: 0, sentAt: null }),
    ]);
  });
});
