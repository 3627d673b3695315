import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Order } from "@edge-shop/contracts";
import type { ServiceStatus } from "@edge-shop/worker-kit";
import { describe, expect, it } from "vitest";
import { forwardedAs } from "../../../packages/worker-kit/testing/signed-caller";
import { app } from "../src/app";
import { outbox } from "../src/db/schema";
import { address, call, db, pid, user } from "./helpers";

/** An Analytics Engine binding that keeps what is written (there is no local query API to read points back). */
function spyDataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, writeDataPoint: (point: AnalyticsEngineDataPoint) => void points.push(point) };
}

async function request(
  path: string,
  as: ReturnType<typeof user>,
  init: { method?: string; json?: unknown } = {},
) {
  const headers = await forwardedAs(as);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  headers.set("idempotency-key", crypto.randomUUID());
  return new Request(`http://orders${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
}

describe("GET /internal/admin/status", () => {
  it("shows the version, the migrations applied, the outbox backlog and the dead letters", async () => {
    await db.insert(outbox).values({
      id: `stuck-${crypto.randomUUID()}`,
      eventId: crypto.randomUUID(),
      destination: "notifications-queue",
      body: "{}",
      createdAt: Date.now() - 120_000,
    });
    const response = await call("/internal/admin/status", { as: user("admin") });
    expect(response.status).toBe(200);
    const status = (await response.json()) as ServiceStatus;
    expect(status).toMatchObject({ service: "orders", status: "OK", version: env.VERSION || "unknown" });
    expect(status.migrations.applied).toBeGreaterThanOrEqual(3);
    expect(status.migrations.applied).toBe(env.TEST_MIGRATIONS.length);
    expect(status.migrations.latest).toBe(env.TEST_MIGRATIONS.at(-1)?.name);
    expect(status.outbox.unsent).toBeGreaterThanOrEqual(1);
    expect(status.outbox.oldestAgeSeconds).toBeGreaterThanOrEqual(120);
    expect(status.deadLetters).toEqual({ total: expect.any(Number), unreplayed: expect.any(Number) });
  });
});

describe("metrics", () => {
  it("writes a request point and an order point for a created order, and one per transition", async () => {
    const metrics = spyDataset();
    const bindings = { ...env, METRICS: metrics };
    const as = user();
    const items = [{ productId: pid("usd", 250, 5), quantity: 2 }];
    const created = await app.fetch(
      await request("/api/orders", as, { method: "POST", json: { items, shippingAddress: address } }),
      bindings,
      createExecutionContext(),
    );
    expect(created.status).toBe(201);
    const { order } = (await created.json()) as { order: Order };
    const cancelled = await app.fetch(
      await request(`/api/orders/${order.id}/cancel`, as, { method: "POST" }),
      bindings,
    );
    expect(cancelled.status).toBe(200);

    const blobs = metrics.points.map((p) => p.blobs);
    expect(blobs).toContainEqual(["order", "orders", "order", "created", "USD", ""]);
    expect(blobs).toContainEqual(["order", "orders", "order", "cancelled", "USD", ""]);
    expect(blobs).toContainEqual(["request", "orders", "/api/orders", "2xx", "POST", "201"]);
    expect(blobs).toContainEqual(["request", "orders", "/api/orders/:id/cancel", "2xx", "POST", "200"]);
    const createdPoint = metrics.points.find((p) => p.blobs?.[3] === "created");
    expect(createdPoint?.doubles).toEqual([1, 0, 500]);
    const requestPoint = metrics.points.find((p) => p.blobs?.[2] === "/api/orders");
    expect(requestPoint?.indexes).toEqual(["/api/orders"]);
    expect(requestPoint?.doubles?.[1]).toBeGreaterThanOrEqual(0);
  });

  it("writes nothing and fails nothing without a binding", async () => {
    const response = await app.fetch(await request("/api/orders", user()), { ...env, METRICS: undefined });
    expect(response.status).toBe(200);
  });
});
