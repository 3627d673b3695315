import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Order } from "@edge-shop/contracts";
import { idempotencyKeys, newEvent, outboxInsert, publishCommitted } from "@edge-shop/worker-kit";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { countingD1, countingQueue } from "../../../packages/worker-kit/test/call-counters";
import { app } from "../src/app";
import { database } from "../src/db/client";
import { address, db, outboxOf, outboxRowsOfEvent, pid, user } from "./helpers";

// Round trips per order creation, pinned: the benchmark's order floor counts them. Orders makes three D1 calls
// (claim the key; order + lines + outbox row + the key's stored answer in one batch; outbox row marked sent)
// and one queue send; products' reservation is one more batch behind the RPC (see products' tests).
describe("POST /api/orders: platform calls", () => {
  it("claims the key, commits order and answer in one batch, sends once and marks the row sent", async () => {
    const counter = countingD1(env.DB);
    const notifications = countingQueue(env.NOTIFICATION_EVENTS);
    const testEnv = { ...env, DB: counter.d1, NOTIFICATION_EVENTS: notifications.queue };
    const as = user();
    const key = crypto.randomUUID();
    const body = JSON.stringify({
      items: [{ productId: pid("usd", 250, 5), quantity: 2 }],
      shippingAddress: address,
    });
    const request = () =>
      new Request("http://orders/api/orders", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "idempotency-key": key,
          "x-user-id": as.userId,
          "x-user-role": as.role,
        },
        body,
      });
    const ctx = createExecutionContext();
    const response = await app.fetch(request(), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    const text = await response.text();
    expect(response.status).toBe(201);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 2, batches: 1 });
    expect(notifications.sent).toHaveLength(1);

    const { order } = JSON.parse(text) as { order: Order };
    expect(await outboxOf(order.id)).toEqual([
      { type: "order.created", destination: "notification-events", sent: true },
    ]);
    const [stored] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, as.userId), eq(idempotencyKeys.key, key)));
    expect(stored).toMatchObject({ state: "done", responseStatus: 201, responseBody: text });

    // The replay is the claim attempt and one read, nothing else.
    counter.reset();
    const again = await app.fetch(request(), testEnv, createExecutionContext());
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
    const destinations = ["notification-events", "nowhere"];
    await db.batch([outboxInsert(db, event, destinations)]);
    const counter = countingD1(env.DB);
    const queue = countingQueue(env.NOTIFICATION_EVENTS);
    const sent = await publishCommitted(database(counter.d1), { "notification-events": queue.queue }, [
      { event, destinations },
    ]);
    expect(sent).toBe(1);
    expect(queue.sent).toEqual([event]);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 1, batches: 0 });
    const rows = await outboxRowsOfEvent(event.id);
    const byDestination = Object.fromEntries(rows.map((row) => [row.destination, row]));
    expect(byDestination["notification-events"]).toMatchObject({ attempts: 1 });
    expect(byDestination["notification-events"]?.sentAt).toBeTypeOf("number");
    expect(byDestination.nowhere).toMatchObject({ attempts: 1, sentAt: null });
  });
});
