import { env, exports } from "cloudflare:workers";
import type { Product } from "@edge-shop/contracts";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { countingD1 } from "../../../packages/worker-kit/test/call-counters";
import { database } from "../src/db/client";
import { products, reservations } from "../src/db/schema";
import { quoteProducts } from "../src/stock/items";
import { insertProducts, send, uniqueWord } from "./helpers";

const rpc = exports.ProductsRpc;
const db = database(env.DB);
const orderId = () => `order-${crypto.randomUUID()}`;

async function stockOf(id: string): Promise<number | undefined> {
  return (await db.select({ stock: products.stock }).from(products).where(eq(products.id, id)).get())?.stock;
}

async function holdOf(id: string) {
  return db.select().from(reservations).where(eq(reservations.orderId, id)).get();
}

describe("maxPerOrder (admin-set, optional)", () => {
  const input = () => ({ name: "Console", price: 49900, category: uniqueWord("cat"), stock: 10 });

  it("is absent unless set; an admin sets, changes and clears it", async () => {
    const created = (await (await send("POST", "/api/products", input())).json()) as { product: Product };
    expect(created.product).not.toHaveProperty("maxPerOrder");
    const path = `/api/products/${created.product.id}`;
    const limited = (await (await send("PATCH", path, { maxPerOrder: 2 })).json()) as { product: Product };
    expect(limited.product.maxPerOrder).toBe(2);
    const cleared = (await (await send("PATCH", path, { maxPerOrder: null })).json()) as { product: Product };
    expect(cleared.product).not.toHaveProperty("maxPerOrder");
    const replaced = (await (await send("PUT", path, { ...input(), maxPerOrder: 1 })).json()) as {
      product: Product;
    };
    expect(replaced.product.maxPerOrder).toBe(1);
    // A full replace without it takes the default: no limit.
    const again = (await (await send("PUT", path, input())).json()) as { product: Product };
    expect(again.product).not.toHaveProperty("maxPerOrder");
  });

  it("must be a whole number from 1 to 100", async () => {
    for (const maxPerOrder of [0, 101, 1.5, "2"]) {
      expect((await send("POST", "/api/products", { ...input(), maxPerOrder })).status).toBe(400);
    }
  });

  it("refuses a reservation over the limit (max_per_order) and takes nothing", async () => {
    const [limited, plain] = await insertProducts([{ stock: 10 }, { stock: 10 }]);
    const id = limited?.id ?? "";
    await db.update(products).set({ maxPerOrder: 2 }).where(eq(products.id, id));
    const items = [
      { productId: plain?.id ?? "", quantity: 1 },
      { productId: id, quantity: 3 },
    ];
    expect(await rpc.reserve(orderId(), items)).toEqual({
      ok: false,
      reason: "max_per_order",
      productIds: [id],
    });
    expect([await stockOf(id), await stockOf(plain?.id ?? "")]).toEqual([10, 10]);
    expect(await rpc.reserve(orderId(), [{ productId: id, quantity: 2 }])).toMatchObject({ ok: true });
  });
});

describe("ProductsRpc.quote", () => {
  it("answers every known product's current terms in one read, inactive ones included, unknown ones left out", async () => {
    const [a, off] = await insertProducts([
      { name: "Mug", price: 900, stock: 4 },
      { name: "Old mug", isActive: false },
    ]);
    await db
      .update(products)
      .set({ maxPerOrder: 3 })
      .where(eq(products.id, a?.id ?? ""));
    const quotes = await rpc.quote([a?.id ?? "", "ghost", off?.id ?? "", a?.id ?? ""]);
    expect(quotes.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      {
        productId: a?.id,
        name: "Mug",
        price: 900,
        currency: "USD",
        stock: 4,
        isActive: true,
        maxPerOrder: 3,
      },
      expect.objectContaining({ productId: off?.id, isActive: false, maxPerOrder: null }),
    ]);
    expect(await rpc.quote([])).toEqual([]);
  });

  it("reads D1 once per quote, never the cache", async () => {
    const [a, b] = await insertProducts([{ price: 100 }, { price: 200 }]);
    const counter = countingD1(env.DB);
    const quotes = await quoteProducts(database(counter.d1), [a?.id ?? "", b?.id ?? ""]);
    expect(quotes.map((q) => q.price).sort()).toEqual([100, 200]);
    expect(counter.calls).toMatchObject({ reads: 1, writes: 0, batches: 0 });
  });
});

describe("holds expire: expiredHolds and settleHolds", () => {
  it("a reservation holds stock until its expiry (RESERVATION_HOLD_SECONDS)", async () => {
    const [made] = await insertProducts([{ stock: 5 }]);
    const id = orderId();
    const before = Date.now();
    await rpc.reserve(id, [{ productId: made?.id ?? "", quantity: 2 }]);
    const hold = await holdOf(id);
    const holdMs = Number(env.RESERVATION_HOLD_SECONDS) * 1000;
    expect(hold?.expiresAt).toBeGreaterThanOrEqual(before + holdMs);
    expect(hold?.expiresAt).toBeLessThanOrEqual(Date.now() + holdMs);
    const due = await rpc.expiredHolds(Date.now(), 100);
    expect(due.map((h) => h.orderId)).not.toContain(id);
    const later = await rpc.expiredHolds(Date.now() + holdMs + 1, 100);
    expect(later.find((h) => h.orderId === id)).toMatchObject({ orderId: id, expiresAt: hold?.expiresAt });
  });

  it("releases the holds orders gives up once, keeps the others until their new expiry or for good", async () => {
    const [made] = await insertProducts([{ stock: 9 }]);
    const productId = made?.id ?? "";
    const [lost, pending, paid] = [orderId(), orderId(), orderId()];
    for (const id of [lost, pending, paid]) await rpc.reserve(id, [{ productId, quantity: 3 }]);
    expect(await stockOf(productId)).toBe(0);
    const until = Date.now() + 30 * 60_000;
    const settled = await rpc.settleHolds({
      release: [lost, lost],
      keep: [
        { orderId: pending, until },
        { orderId: paid, until: null },
      ],
    });
    expect(settled).toEqual({ released: [lost] });
    expect(await stockOf(productId)).toBe(3);
    const rows = await db
      .select()
      .from(reservations)
      .where(inArray(reservations.orderId, [lost, pending, paid]));
    const byId = new Map(rows.map((r) => [r.orderId, r]));
    expect(byId.get(lost)).toMatchObject({ status: "released" });
    expect(byId.get(pending)).toMatchObject({ status: "held", expiresAt: until });
    expect(byId.get(paid)).toMatchObject({ status: "held", expiresAt: null });
    // A paid order's hold never expires again; it goes back only through release (a refund).
    const far = await rpc.expiredHolds(Date.now() + 365 * 24 * 60 * 60_000, 100);
    expect(far.map((h) => h.orderId)).not.toContain(paid);
    expect(await rpc.release(paid)).toEqual({ released: true });
    expect(await stockOf(productId)).toBe(6);
  });

  it("refuses a settlement no orders sweep could send", async () => {
    const fails = (settlement: Parameters<typeof rpc.settleHolds>[0]) =>
      rpc.settleHolds(settlement).then(
        () => "resolved",
        (e: unknown) => String(e),
      );
    expect(await fails({ release: [""], keep: [] })).toMatch(/orderId/);
    expect(await fails({ release: [], keep: [{ orderId: "o", until: 1.5 }] })).toMatch(/until/);
  });
});
