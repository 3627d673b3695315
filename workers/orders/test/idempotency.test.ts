import type { Order } from "@edge-shop/contracts";
import { deleteExpiredIdempotencyKeys, idempotencyKeys } from "@edge-shop/worker-kit";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { address, call, db, pid, products, user } from "./helpers";

function body(productId: string, quantity = 1) {
  return { items: [{ productId, quantity }], shippingAddress: address };
}

describe("Idempotency-Key on POST /api/orders", () => {
  it("is required: 400 idempotency_key_required without it", async () => {
    const response = await call("/api/orders", { as: user(), json: body(pid("usd", 100, 5)) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "idempotency_key_required" });
  });

  it("must be 1 to 255 printable characters", async () => {
    const response = await call("/api/orders", {
      as: user(),
      key: "k".repeat(256),
      json: body(pid("usd", 100, 5)),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "idempotency_key_invalid" });
  });

  it("replays the first response (status and body) without reserving again", async () => {
    const as = user();
    const product = pid("usd", 700, 5);
    const key = crypto.randomUUID();
    const first = await call("/api/orders", { as, key, json: body(product, 2) });
    const firstBody = await first.text();
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();

    const again = await call("/api/orders", { as, key, json: body(product, 2) });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("content-type")).toContain("application/json");
    expect(await again.text()).toBe(firstBody);
    expect(await products.reserveCalls(product)).toBe(1);
    expect(await products.stockOf(product)).toBe(3);

    const list = (await (await call("/api/orders", { as })).json()) as { orders: Order[] };
    expect(list.orders).toHaveLength(1);
  });

  it("replays a stored 4xx too (short stock stays the answer for that key)", async () => {
    const as = user();
    const product = pid("usd", 100, 1);
    const key = crypto.randomUUID();
    expect((await call("/api/orders", { as, key, json: body(product, 2) })).status).toBe(409);
    const again = await call("/api/orders", { as, key, json: body(product, 2) });
    expect(again.status).toBe(409);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("content-type")).toBe("application/problem+json");
    expect(await again.json()).toMatchObject({ code: "insufficient_stock" });
    expect(await products.reserveCalls(product)).toBe(1);
  });

  it("answers 422 idempotency_key_reused for the same key with another body", async () => {
    const as = user();
    const key = crypto.randomUUID();
    const product = pid("usd", 100, 5);
    expect((await call("/api/orders", { as, key, json: body(product, 1) })).status).toBe(201);
    const other = await call("/api/orders", { as, key, json: body(product, 2) });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ code: "idempotency_key_reused" });
    expect(await products.reserveCalls(product)).toBe(1);
  });

  it("answers 409 idempotency_key_in_flight while the first request still runs", async () => {
    const as = user();
    const key = crypto.randomUUID();
    const product = pid("slow", 100, 5);
    const first = call("/api/orders", { as, key, json: body(product) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await call("/api/orders", { as, key, json: body(product) });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ code: "idempotency_key_in_flight" });
    expect((await first).status).toBe(201);
    expect(await products.reserveCalls(product)).toBe(1);
  });

  it("scopes keys per user: another user's identical key is a new request", async () => {
    const key = crypto.randomUUID();
    const product = pid("usd", 100, 5);
    expect((await call("/api/orders", { as: user(), key, json: body(product) })).status).toBe(201);
    const other = await call("/api/orders", { as: user(), key, json: body(product) });
    expect(other.status).toBe(201);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect(await products.stockOf(product)).toBe(3);
  });

  it("releases the key after a 5xx so the client may retry", async () => {
    const as = user();
    const key = crypto.randomUUID();
    const product = pid("boom", 100, 5);
    expect((await call("/api/orders", { as, key, json: body(product) })).status).toBe(503);
    const retry = await call("/api/orders", { as, key, json: body(product) });
    expect(retry.status).toBe(503);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect(await products.reserveCalls(product)).toBe(2);
  });

  it("treats a key older than 24 hours as expired (reusable), and the cron deletes it", async () => {
    const as = user();
    const key = crypto.randomUUID();
    const product = pid("usd", 100, 5);
    expect((await call("/api/orders", { as, key, json: body(product) })).status).toBe(201);
    const where = and(eq(idempotencyKeys.userId, as.userId), eq(idempotencyKeys.key, key));
    await db
      .update(idempotencyKeys)
      .set({ expiresAt: Date.now() - 1 })
      .where(where);

    const reused = await call("/api/orders", { as, key, json: body(product, 2) });
    expect(reused.status).toBe(201);
    expect(reused.headers.get("idempotent-replayed")).toBeNull();
    expect(await products.stockOf(product)).toBe(2);

    await db
      .update(idempotencyKeys)
      .set({ expiresAt: Date.now() - 1 })
      .where(where);
    expect(await deleteExpiredIdempotencyKeys(db)).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(idempotencyKeys).where(where)).toEqual([]);
  });

  it("takes over an in-flight claim whose lease ended (the first request's isolate died)", async () => {
    const as = user();
    const key = crypto.randomUUID();
    const product = pid("usd", 100, 5);
    expect((await call("/api/orders", { as, key, json: body(product) })).status).toBe(201);
    const where = and(eq(idempotencyKeys.userId, as.userId), eq(idempotencyKeys.key, key));
    await db
      .update(idempotencyKeys)
      .set({ state: "in_flight", createdAt: Date.now() - 10 * 60_000 })
      .where(where);
    const retry = await call("/api/orders", { as, key, json: body(product) });
    expect(retry.status).toBe(201);
  });
});
