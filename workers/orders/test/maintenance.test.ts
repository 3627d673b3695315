import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { republishPending } from "@edge-shop/worker-kit";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orders } from "../src/db/schema";
import { createOrder } from "../src/domain/create-order";
import { destinations } from "../src/domain/events";
import { expirePendingOrders, releaseUnreleasedStock, runMaintenance } from "../src/domain/maintenance";
import { address, call, db, outboxOf, pid, placeOrder, products, user } from "./helpers";

/** A queue producer that is down: every send throws (fault injection, not a fake of the binding's behaviour). */
const brokenQueue = {
  send: async () => {
    throw new Error("queue unavailable");
  },
  sendBatch: async () => {
    throw new Error("queue unavailable");
  },
} as unknown as Queue;

async function age(orderId: string, minutes: number) {
  const at = Date.now() - minutes * 60_000;
  await db.update(orders).set({ createdAt: at, updatedAt: at }).where(eq(orders.id, orderId));
}

describe("outbox", () => {
  it("keeps an event whose publish failed and republishes it later", async () => {
    const brokenEnv: Env = { ...env, NOTIFICATIONS_QUEUE: brokenQueue };
    const as = user();
    const ctx = createExecutionContext();
    const order = await createOrder(
      brokenEnv,
      ctx,
      db,
      as,
      { items: [{ productId: pid("usd", 100, 5), quantity: 1 }], shippingAddress: address },
      "req-outbox",
    );
    await waitOnExecutionContext(ctx);
    expect(order.status).toBe("pending");
    expect(await outboxOf(order.id)).toEqual([
      { type: "order.created", destination: "notifications-queue", sent: false },
    ]);

    await republishPending(db, destinations(brokenEnv), { olderThanMs: 0 });
    expect((await outboxOf(order.id))[0]?.sent).toBe(false);

    await republishPending(db, destinations(env), { olderThanMs: 0 });
    expect(await outboxOf(order.id)).toEqual([
      { type: "order.created", destination: "notifications-queue", sent: true },
    ]);
  });
});

describe("expiry", () => {
  it("cancels pending orders older than ORDER_TTL_MINUTES, releasing their stock", async () => {
    const as = user();
    const productId = pid("usd", 100, 4);
    const old = await placeOrder(as, [{ productId, quantity: 3 }]);
    const fresh = await placeOrder(as, [{ productId, quantity: 1 }]);
    await age(old.id, 31);
    expect(await products.stockOf(productId)).toBe(0);

    expect(await expirePendingOrders(env, db)).toBeGreaterThanOrEqual(1);
    const expired = (await (await call(`/api/orders/${old.id}`, { as })).json()) as {
      order: { status: string };
    };
    expect(expired.order.status).toBe("cancelled");
    const kept = (await (await call(`/api/orders/${fresh.id}`, { as })).json()) as {
      order: { status: string };
    };
    expect(kept.order.status).toBe("pending");
    expect(await products.stockOf(productId)).toBe(3);
    expect(await outboxOf(old.id)).toContainEqual({
      type: "order.cancelled",
      destination: "notifications-queue",
      sent: true,
    });
  });

  it("does not expire a paid order", async () => {
    const as = user();
    const order = await placeOrder(as, [{ productId: pid("usd", 100, 4), quantity: 1 }]);
    await call(`/api/orders/${order.id}/status`, {
      method: "PATCH",
      as: user("admin"),
      json: { status: "shipped" },
    });
    await db.update(orders).set({ status: "paid" }).where(eq(orders.id, order.id));
    await age(order.id, 60);
    await expirePendingOrders(env, db);
    const after = (await (await call(`/api/orders/${order.id}`, { as })).json()) as {
      order: { status: string };
    };
    expect(after.order.status).toBe("paid");
  });

  it("honours ORDER_TTL_MINUTES", async () => {
    const as = user();
    const order = await placeOrder(as, [{ productId: pid("usd", 100, 4), quantity: 1 }]);
    await age(order.id, 6);
    await expirePendingOrders({ ...env, ORDER_TTL_MINUTES: "10" }, db);
    expect((await db.select().from(orders).where(eq(orders.id, order.id)))[0]?.status).toBe("pending");
    await expirePendingOrders({ ...env, ORDER_TTL_MINUTES: "5" }, db);
    expect((await db.select().from(orders).where(eq(orders.id, order.id)))[0]?.status).toBe("cancelled");
  });
});

describe("stock release sweep", () => {
  it("retries a release that failed right after the cancel", async () => {
    const as = user();
    const productId = pid("usd", 100, 4);
    const order = await placeOrder(as, [{ productId, quantity: 2 }]);
    const failingProducts = {
      ...env.PRODUCTS,
      release: async () => {
        throw new Error("products down");
      },
    } as unknown as Env["PRODUCTS"];
    const { cancelOrder } = await import("../src/domain/cancel-order");
    await cancelOrder({ ...env, PRODUCTS: failingProducts }, db, as, order.id, "req-sweep");
    expect(await products.stockOf(productId)).toBe(2);

    await age(order.id, 2);
    expect(await releaseUnreleasedStock(env, db)).toBeGreaterThanOrEqual(1);
    expect(await products.stockOf(productId)).toBe(4);
    expect(await releaseUnreleasedStock(env, db)).toBe(0);
  });

  it("runs every step from the cron without throwing", async () => {
    await expect(runMaintenance(env, db)).resolves.toBeUndefined();
  });
});
