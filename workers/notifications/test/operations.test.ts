import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { DeadLetterView, ServiceStatus } from "@edge-shop/worker-kit";
import { describe, expect, it, vi } from "vitest";
import { eventually } from "../../../packages/worker-kit/testing/eventually";
import { forwardedAs } from "../../../packages/worker-kit/testing/signed-caller";
import worker from "../src/index";
import { deliver, event, httpEnv, rowsOf, stubProviders, uid } from "./helpers";

const items = [{ productId: "p1", name: "Widget", unitPrice: 1999, quantity: 1, lineTotal: 1999 }];
const orderCreated = (userId: string) =>
  event("order.created", { orderId: uid("ord"), userId, items, total: 1999, currency: "USD" });

async function admin(path: string, method = "GET") {
  return exports.default.fetch(`http://notifications${path}`, {
    method,
    headers: await forwardedAs({ userId: "admin-1", role: "admin" }),
  });
}

async function deadLetterOf(eventId: string) {
  const response = await admin("/internal/admin/dead-letters?limit=1000");
  const { deadLetters } = (await response.json()) as { deadLetters: DeadLetterView[] };
  return deadLetters.find((d) => d.eventId === eventId);
}

function spyDataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, writeDataPoint: (point: AnalyticsEngineDataPoint) => void points.push(point) };
}

describe("notifications-queue dead letters", () => {
  it("stores the message the provider kept refusing, then a replay after the fix sends it exactly once", async () => {
    const metrics = spyDataset();
    const created = orderCreated(uid("user"));
    // The fault: the email provider is down through the last attempt.
    stubProviders(vi.mocked(globalThis.fetch), () => new Response("upstream down", { status: 503 }));
    const last = await deliver([created], { env: { ...httpEnv(), METRICS: metrics }, attempts: 6 });
    expect(last.retryMessages).toHaveLength(1);
    expect(metrics.points.map((p) => p.blobs)).toEqual([
      ["notification", "notifications", "email", "failed", "order.created", ""],
      ["queue", "notifications", "notifications-queue", "retry", "order.created", ""],
    ]);

    // The queue moves it to the dead-letter queue, whose consumer stores it.
    const batch = createMessageBatch("notifications-queue-dlq", [
      { id: uid("dlq"), timestamp: new Date(), attempts: 1, body: created },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...env, METRICS: metrics });
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    const dead = await deadLetterOf(created.id);
    expect(dead).toMatchObject({ service: "notifications", queue: "notifications-queue", attempts: 6 });
    expect(dead?.lastError).toContain("503");
    expect(metrics.points.at(-1)?.blobs).toEqual([
      "queue",
      "notifications",
      "notifications-queue",
      "dead_letter",
      "order.created",
      "",
    ]);

    // The fix: the worker's own configuration (the log provider here) works again. Replay it, twice.
    expect((await admin(`/internal/admin/dead-letters/${dead?.id}/replay`, "POST")).status).toBe(202);
    const sent = await eventually(async () => {
      const rows = await rowsOf(created.id);
      return rows[0]?.status === "sent" ? rows : undefined;
    });
    expect(sent).toHaveLength(1);
    expect((await admin(`/internal/admin/dead-letters/${dead?.id}/replay`, "POST")).status).toBe(409);
    // A second delivery of the replayed message sends nothing more.
    const again = await deliver([created], { attempts: 2 });
    expect(again.explicitAcks).toHaveLength(1);
    expect(await rowsOf(created.id)).toEqual(sent);
  });
});

describe("GET /internal/admin/status", () => {
  it("shows migrations, outbox and dead letters to admins only", async () => {
    const user = await exports.default.fetch("http://notifications/internal/admin/status", {
      headers: await forwardedAs({ userId: "u", role: "user" }),
    });
    expect(user.status).toBe(403);
    const status = (await (await admin("/internal/admin/status")).json()) as ServiceStatus;
    expect(status).toMatchObject({ service: "notifications", status: "OK", outbox: { unsent: 0 } });
    expect(status.migrations.applied).toBe(env.TEST_MIGRATIONS.length);
    expect(status.migrations.latest).toBe(env.TEST_MIGRATIONS.at(-1)?.name);
    expect(status.deadLetters).toEqual({ total: expect.any(Number), unreplayed: expect.any(Number) });
  });
});

describe("notification metrics", () => {
  it("counts a sent email by channel and event type", async () => {
    const metrics = spyDataset();
    const created = orderCreated(uid("user"));
    await deliver([created], { env: { ...env, METRICS: metrics } });
    expect(metrics.points.map((p) => p.blobs)).toEqual([
      ["notification", "notifications", "email", "sent", "order.created", ""],
      ["queue", "notifications", "notifications-queue", "ack", "order.created", ""],
    ]);
  });
});
