import { env, exports } from "cloudflare:workers";
import { type DeadLetterView, newEvent, type ServiceStatus } from "@edge-shop/worker-kit";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { eventually } from "../../../packages/worker-kit/testing/eventually";
import { app } from "../src/app";
import { payments } from "../src/db/schema";
import { attemptsOf, cardBody, db, outboxEventsOf, seedOrder, userHeaders } from "./helpers";

async function admin(path: string, method = "GET") {
  return exports.default.fetch(`http://payments${path}`, {
    method,
    headers: await userHeaders("admin-1", "admin"),
  });
}

async function deadLetterOf(eventId: string) {
  const response = await admin("/internal/admin/dead-letters?limit=1000");
  const { deadLetters } = (await response.json()) as { deadLetters: DeadLetterView[] };
  return deadLetters.find((d) => d.eventId === eventId);
}

describe("payments-queue dead letters", () => {
  it("dead-letters order.refunded that keeps failing, and refunds exactly once when replayed after the fix", async () => {
    // The fault: the order's charge is still `processing` (its request died), so the refund cannot run yet.
    const order = await seedOrder();
    const paymentId = crypto.randomUUID();
    const now = Date.now();
    await db()
      .insert(payments)
      .values({
        id: paymentId,
        orderId: order.id,
        userId: order.userId,
        status: "processing",
        amount: 2500,
        currency: "USD",
        provider: "simulator",
        providerRef: `pi_sim_${paymentId}`,
        createdAt: now,
        updatedAt: now,
      });
    const event = newEvent(
      "order.refunded",
      { orderId: order.id, userId: order.userId, amount: 2500, currency: "USD" },
      { source: "orders", correlationId: "corr-refund-dlq" },
    );
    await env.REPLAY_QUEUE.send(event, { contentType: "json" });
    const dead = await eventually(() => deadLetterOf(event.id));
    expect(dead).toMatchObject({
      service: "payments",
      queue: "payments-queue",
      attempts: 2,
      replayedAt: null,
    });
    expect(dead.lastError).toContain("still processing");

    // The fix: the charge settles. Then the operator replays the dead letter.
    await db().update(payments).set({ status: "succeeded" }).where(eq(payments.id, paymentId));
    expect((await admin(`/internal/admin/dead-letters/${dead.id}/replay`, "POST")).status).toBe(202);
    const refunded = await eventually(async () => {
      const [row] = await attemptsOf(order.id);
      return row?.status === "refunded" ? row : undefined;
    });
    expect(refunded.refundRef).toBe(`re_sim_${paymentId}`);
    expect((await admin(`/internal/admin/dead-letters/${dead.id}/replay`, "POST")).status).toBe(409);
    const events = (await outboxEventsOf(paymentId)).filter((e) => e.type === "payment.refunded");
    expect(events.map((e) => e.correlationId)).toEqual(["corr-refund-dlq", "corr-refund-dlq"]);
  }, 30_000);
});

describe("GET /internal/admin/status", () => {
  it("shows migrations, outbox backlog and dead letters; admins only", async () => {
    expect((await exports.default.fetch("http://payments/internal/admin/status")).status).toBe(401);
    const response = await admin("/internal/admin/status");
    const status = (await response.json()) as ServiceStatus;
    expect(status).toMatchObject({ service: "payments", status: "OK", version: env.VERSION || "unknown" });
    expect(status.migrations.applied).toBe(env.TEST_MIGRATIONS.length);
    expect(status.migrations.latest).toBe(env.TEST_MIGRATIONS.at(-1)?.name);
    expect(status.outbox).toEqual({
      unsent: expect.any(Number),
      oldestAgeSeconds: expect.toBeOneOf([null, expect.any(Number)]),
    });
    expect(status.deadLetters?.total).toEqual(expect.any(Number));
  });
});

describe("payment metrics", () => {
  it("writes succeeded and failed-by-reason points", async () => {
    const points: AnalyticsEngineDataPoint[] = [];
    const bindings = {
      ...env,
      METRICS: { writeDataPoint: (p: AnalyticsEngineDataPoint) => void points.push(p) },
    };
    for (const token of ["tok_chargeDeclined", "tok_insufficientFunds"]) {
      const order = await seedOrder();
      const request = new Request("http://payments/api/payments", {
        method: "POST",
        headers: await userHeaders(order.userId, "user", {
          "content-type": "application/json",
          "idempotency-key": crypto.randomUUID(),
        }),
        body: JSON.stringify(cardBody(order.id, token)),
      });
      expect((await app.fetch(request, bindings)).status).toBe(201);
    }
    const paid = await seedOrder();
    const request = new Request("http://payments/api/payments", {
      method: "POST",
      headers: await userHeaders(paid.userId, "user", {
        "content-type": "application/json",
        "idempotency-key": crypto.randomUUID(),
      }),
      body: JSON.stringify(cardBody(paid.id, "tok_visa")),
    });
    expect((await app.fetch(request, bindings)).status).toBe(201);

    const payments = points.filter((p) => p.blobs?.[0] === "payment").map((p) => p.blobs);
    expect(payments).toEqual([
      ["payment", "payments", "simulator", "failed", "card_declined", "USD"],
      ["payment", "payments", "simulator", "failed", "insufficient_funds", "USD"],
      ["payment", "payments", "simulator", "succeeded", "", "USD"],
    ]);
    expect(points.filter((p) => p.blobs?.[0] === "request")).toHaveLength(3);
  });
});
