import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { orders } from "../src/db/schema";
import { createOrder } from "../src/domain/create-order";
import { settleExpiredHolds } from "../src/domain/holds";
import { orderTtlMs } from "../src/domain/limits";
import { address, call, db, pid, placeOrder, products, user } from "./helpers";

const HOLD_MS = 300_000;

/** A D1 binding whose batches fail: the path between products' reserve and the order's insert, killed. */
function failingBatches(d1: D1Database): D1Database {
  return new Proxy(d1, {
    get(target, key) {
      if (key === "batch")
        return () => Promise.reject(new Error("the worker died before the order was written"));
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("no leaked stock: expired holds are settled by orders' sweep", () => {
  it("gives back the stock of a reservation whose order was never written", async () => {
    const as = user();
    const productId = pid("usd", 100, 5);
    // The order's batch fails and so does the give-back that follows it: the reservation is left behind.
    await products.failReleases(1);
    const attempt = createOrder(
      env,
      createExecutionContext(),
      database(failingBatches(env.DB)),
      as,
      { items: [{ productId, quantity: 2 }], shippingAddress: address },
      "req-killed",
    );
    await expect(attempt).rejects.toThrow(/died/);
    expect(await products.stockOf(productId)).toBe(3);

    // Before the hold expires nothing moves; after it, the sweep finds no order and the stock comes back.
    await settleExpiredHolds(env, db, Date.now());
    expect(await products.stockOf(productId)).toBe(3);
    expect(await settleExpiredHolds(env, db, Date.now() + HOLD_MS + 1000)).toBeGreaterThanOrEqual(1);
    expect(await products.stockOf(productId)).toBe(5);
  });

  it("keeps a pending order's hold until the order expires, and a paid order's for good", async () => {
    const as = user();
    const productId = pid("usd", 100, 5);
    const pending = await placeOrder(as, [{ productId, quantity: 1 }]);
    const paid = await placeOrder(as, [{ productId, quantity: 1 }]);
    await db.update(orders).set({ status: "paid" }).where(eq(orders.id, paid.id));
    await settleExpiredHolds(env, db, Date.now() + HOLD_MS + 1000);
    expect(await products.stockOf(productId)).toBe(3);
    const held = await products.holdOf(pending.id);
    expect(held?.expiresAt).toBeGreaterThanOrEqual(Date.parse(pending.createdAt) + orderTtlMs(env));
    expect(await products.holdOf(paid.id)).toEqual({ released: false, expiresAt: null });
  });

  it("gives back a cancelled order's stock whose release was lost, and notes it released", async () => {
    const as = user();
    const productId = pid("usd", 100, 5);
    const order = await placeOrder(as, [{ productId, quantity: 2 }]);
    await products.failReleases(1);
    expect((await call(`/api/orders/${order.id}/cancel`, { as, method: "POST" })).status).toBe(200);
    expect(await products.stockOf(productId)).toBe(3);
    await settleExpiredHolds(env, db, Date.now() + HOLD_MS + 1000);
    expect(await products.stockOf(productId)).toBe(5);
    const [row] = await db.select().from(orders).where(eq(orders.id, order.id));
    expect(row?.stockReleasedAt).not.toBeNull();
  });
});
