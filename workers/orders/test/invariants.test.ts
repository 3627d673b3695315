import { env } from "cloudflare:workers";
import type { Order } from "@edge-shop/contracts";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orderItems, orders, promotionRedemptions } from "../src/db/schema";
import { expirePendingOrders } from "../src/domain/maintenance";
import { address, call, db, pid, products, user } from "./helpers";

// A storm of parallel orders (some with a limited code), cancels and expiries, then the books are counted in D1:
// every unit of stock is either on the shelf or in an order that still holds it, and a code's uses are exactly
// the orders that still hold it, never more than its limit.
describe("invariants under a storm of orders, cancels and expiries", () => {
  it("conserves stock and redemptions", async () => {
    const admin = user("admin");
    const code = `STORM${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`.toUpperCase();
    const limit = 8;
    const created = await call("/api/admin/promotions", {
      as: admin,
      json: { code, type: "percentage", value: 20, usageLimit: limit },
    });
    expect(created.status).toBe(201);
    const initial = 120;
    const catalog = [pid("usd", 700, initial), pid("usd", 1300, initial)];

    const shoppers = Array.from({ length: 24 }, () => user());
    const attempt = async (as: ReturnType<typeof user>, i: number) => {
      const items = catalog.map((productId, n) => ({ productId, quantity: 1 + ((i + n) % 3) }));
      const response = await call("/api/orders", {
        as,
        key: crypto.randomUUID(),
        json: { items, shippingAddress: address, ...(i % 2 === 0 ? { promotionCode: code } : {}) },
      });
      if (response.status !== 201) {
        expect([409, 422]).toContain(response.status);
        return;
      }
      const { order } = (await response.json()) as { order: Order };
      // A third are cancelled at once, some twice at the same time (only one may win).
      if (i % 3 === 0) {
        const cancels = await Promise.all(
          [0, 1].map(() => call(`/api/orders/${order.id}/cancel`, { as, method: "POST" })),
        );
        expect(cancels.map((r) => r.status).sort()).toContainEqual(200);
      }
    };
    await Promise.all(shoppers.flatMap((as, s) => [0, 1, 2].map((k) => attempt(as, s * 3 + k))));
    // Expiry runs twice at once, while more orders arrive.
    const later = Date.now() + 31 * 60_000;
    await Promise.all([
      expirePendingOrders(env, db, later),
      expirePendingOrders(env, db, later),
      ...shoppers.slice(0, 6).map((as, s) => attempt(as, 1000 + s)),
    ]);
    await expirePendingOrders(env, db, later + 60_000);

    const rows = await db.select().from(orders);
    const mine = new Map(
      rows.filter((o) => shoppers.some((s) => s.userId === o.userId)).map((o) => [o.id, o]),
    );
    expect(mine.size).toBeGreaterThan(10);
    expect([...mine.values()].every((o) => o.status === "cancelled")).toBe(true);

    // Stock: nothing is held any more, so every unit is back on the shelf.
    for (const productId of catalog) {
      const lines = await db.select().from(orderItems).where(eq(orderItems.productId, productId));
      const held = lines
        .filter((l) => mine.get(l.orderId)?.status !== "cancelled")
        .reduce((n, l) => n + l.quantity, 0);
      expect((await products.stockOf(productId)) + held).toBe(initial);
    }

    // Redemptions: one per order that carries the code, each given back exactly once.
    const redemptions = await db
      .select()
      .from(promotionRedemptions)
      .where(eq(promotionRedemptions.code, code));
    const withCode = [...mine.values()].filter((o) => o.promotionCode === code);
    expect(redemptions.map((r) => r.orderId).sort()).toEqual(withCode.map((o) => o.id).sort());
    expect(redemptions.every((r) => r.releasedAt !== null)).toBe(true);
    expect(withCode.length).toBeGreaterThanOrEqual(limit);
  });

  it("while orders hold it, a code's uses are the orders that carry it, within its limit", async () => {
    const admin = user("admin");
    const code = `HOLD${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`.toUpperCase();
    await call("/api/admin/promotions", {
      as: admin,
      json: { code, type: "fixed", value: 100, currency: "USD", usageLimit: 6 },
    });
    const productId = pid("usd", 500, 1000);
    const shoppers = Array.from({ length: 15 }, () => user());
    const placed = await Promise.all(
      shoppers.map(async (as) => {
        const response = await call("/api/orders", {
          as,
          key: crypto.randomUUID(),
          json: { items: [{ productId, quantity: 2 }], shippingAddress: address, promotionCode: code },
        });
        return response.status === 201
          ? { as, order: ((await response.json()) as { order: Order }).order }
          : undefined;
      }),
    );
    const ok = placed.filter((p) => p !== undefined);
    expect(ok).toHaveLength(6);
    // Cancel two at once, then the freed uses go to new orders, still never past the limit.
    await Promise.all(
      ok.slice(0, 2).map(({ as, order }) => call(`/api/orders/${order.id}/cancel`, { as, method: "POST" })),
    );
    const more = await Promise.all(
      Array.from({ length: 6 }, () =>
        call("/api/orders", {
          as: user(),
          key: crypto.randomUUID(),
          json: { items: [{ productId, quantity: 2 }], shippingAddress: address, promotionCode: code },
        }),
      ),
    );
    expect(more.filter((r) => r.status === 201)).toHaveLength(2);
    const held = (
      await db.select().from(promotionRedemptions).where(eq(promotionRedemptions.code, code))
    ).filter((r) => r.releasedAt === null);
    const holding = (await db.select().from(orders).where(eq(orders.promotionCode, code))).filter(
      (o) => o.status !== "cancelled",
    );
    expect(held).toHaveLength(6);
    expect(held.map((r) => r.orderId).sort()).toEqual(holding.map((o) => o.id).sort());
    // 8 orders of 2 units hold stock, nothing else.
    expect(await products.stockOf(productId)).toBe(1000 - 2 * holding.length);
  });
});
