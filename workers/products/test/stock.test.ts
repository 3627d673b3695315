import { env, exports } from "cloudflare:workers";
import type { ReserveResult } from "@edge-shop/contracts";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { readCatalogVersion, readListVersion } from "../src/db/queries/catalog-version";
import { products, reservations } from "../src/db/schema";
import { takeStock } from "../src/stock/reserve";
import { storedReservation } from "../src/stock/stored-reservation";
import { call, insertProducts, orderId, stockOf, uniqueWord } from "./helpers";

const rpc = exports.ProductsRpc;

describe("ProductsRpc.price", () => {
  it("prices from D1: names, unit prices, line totals and total", async () => {
    const [a, b] = await insertProducts([
      { name: "Pen", price: 250 },
      { name: "Pad", price: 1099 },
    ]);
    const result = await rpc.price([
      { productId: a?.id ?? "", quantity: 2 },
      { productId: b?.id ?? "", quantity: 1 },
      { productId: a?.id ?? "", quantity: 1 },
    ]);
    expect(result).toEqual({
      ok: true,
      currency: "USD",
      total: 250 * 3 + 1099,
      items: [
        { productId: a?.id, name: "Pen", unitPrice: 250, currency: "USD", quantity: 3, lineTotal: 750 },
        { productId: b?.id, name: "Pad", unitPrice: 1099, currency: "USD", quantity: 1, lineTotal: 1099 },
      ],
    });
  });

  it("reports unknown, inactive and mixed-currency items", async () => {
    const [usd, eur, off] = await insertProducts([
      { currency: "USD" },
      { currency: "EUR" },
      { isActive: false },
    ]);
    expect(await rpc.price([{ productId: "ghost", quantity: 1 }])).toEqual({
      ok: false,
      reason: "not_found",
      productIds: ["ghost"],
    });
    expect(await rpc.price([{ productId: off?.id ?? "", quantity: 1 }])).toMatchObject({
      reason: "inactive",
    });
    expect(
      await rpc.price([
        { productId: usd?.id ?? "", quantity: 1 },
        { productId: eur?.id ?? "", quantity: 1 },
      ]),
    ).toMatchObject({ ok: false, reason: "mixed_currency" });
  });

  it("rejects items no order could contain", async () => {
    // Awaited with then(): expect().rejects would touch properties of the RPC promise, and every property
    // of an RPC promise is itself a pipelined call that rejects on its own.
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => "resolved",
        (e: Error) => e.message,
      );
    expect(await failure(rpc.price([]))).toMatch(/empty/);
    expect(await failure(rpc.price([{ productId: "x", quantity: 0 }]))).toMatch(/quantity/);
    expect(await failure(rpc.reserve(orderId(), [{ productId: "x", quantity: 1.5 }]))).toMatch(/quantity/);
    expect(await failure(rpc.reserve("", [{ productId: "x", quantity: 1 }]))).toMatch(/orderId/);
  });

  it("reads the current price even when the item is cached with an old one", async () => {
    const [made] = await insertProducts([{ price: 100 }]);
    await call(`/api/products/${made?.id}`);
    await database(env.DB)
      .update(products)
      .set({ price: 120 })
      .where(eq(products.id, made?.id ?? ""));
    expect(await rpc.price([{ productId: made?.id ?? "", quantity: 1 }])).toMatchObject({ total: 120 });
  });
});

describe("ProductsRpc.reserve and release", () => {
  it("never oversells: 12 concurrent reserves of 1 for stock 3 → exactly 3 succeed, stock 0", async () => {
    const [made] = await insertProducts([{ stock: 3 }]);
    const id = made?.id ?? "";
    const results = await Promise.all(
      Array.from({ length: 12 }, () => rpc.reserve(orderId(), [{ productId: id, quantity: 1 }])),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const failed = results.filter((r): r is Extract<ReserveResult, { ok: false }> => !r.ok);
    expect(failed).toHaveLength(9);
    expect(failed.every((r) => r.reason === "insufficient_stock" && r.productIds[0] === id)).toBe(true);
    expect(await stockOf(id)).toBe(0);
  });

  it("never oversells under mixed concurrent quantities", async () => {
    const [made] = await insertProducts([{ stock: 10 }]);
    const id = made?.id ?? "";
    const quantities = [4, 3, 3, 2, 2, 1, 5, 1];
    const results = await Promise.all(
      quantities.map((q) => rpc.reserve(orderId(), [{ productId: id, quantity: q }])),
    );
    const taken = quantities.filter((_, i) => results[i]?.ok).reduce((a, b) => a + b, 0);
    expect(taken).toBeLessThanOrEqual(10);
    expect(await stockOf(id)).toBe(10 - taken);
  });

  it("reserves neither item of two when one is short, and reports the short one", async () => {
    const [plenty, short] = await insertProducts([{ stock: 10 }, { stock: 1 }]);
    const order = orderId();
    const result = await rpc.reserve(order, [
      { productId: plenty?.id ?? "", quantity: 2 },
      { productId: short?.id ?? "", quantity: 2 },
    ]);
    expect(result).toEqual({ ok: false, reason: "insufficient_stock", productIds: [short?.id] });
    expect([await stockOf(plenty?.id), await stockOf(short?.id)]).toEqual([10, 1]);
    expect(await rpc.release(order)).toEqual({ released: false });
  });

  it("rolls back the whole batch when the stock goes between the check and the write", async () => {
    // Many two-item orders race for one unit of `scarce`: the losers fail inside the batch (reserve has no
    // pre-check), and none of them may keep the `plenty` units it took first.
    const [plenty, scarce] = await insertProducts([{ stock: 100 }, { stock: 1 }]);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        rpc.reserve(orderId(), [
          { productId: plenty?.id ?? "", quantity: 1 },
          { productId: scarce?.id ?? "", quantity: 1 },
        ]),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect([await stockOf(plenty?.id), await stockOf(scarce?.id)]).toEqual([99, 0]);
  });

  it("reserves nothing for an unknown or inactive product", async () => {
    const [ok, off] = await insertProducts([{ stock: 5 }, { stock: 5, isActive: false }]);
    const unknown = await rpc.reserve(orderId(), [
      { productId: ok?.id ?? "", quantity: 1 },
      { productId: "ghost", quantity: 1 },
    ]);
    expect(unknown).toEqual({ ok: false, reason: "not_found", productIds: ["ghost"] });
    const inactive = await rpc.reserve(orderId(), [{ productId: off?.id ?? "", quantity: 1 }]);
    expect(inactive).toMatchObject({ ok: false, reason: "inactive" });
    expect([await stockOf(ok?.id), await stockOf(off?.id)]).toEqual([5, 5]);
  });

  it("refuses mixed currencies without a pre-check, and takes nothing", async () => {
    const [usd, eur, usd2] = await insertProducts([
      { stock: 5, currency: "USD" },
      { stock: 5, currency: "EUR" },
      { stock: 5, currency: "USD" },
    ]);
    const order = orderId();
    const result = await rpc.reserve(order, [
      { productId: usd?.id ?? "", quantity: 1 },
      { productId: usd2?.id ?? "", quantity: 1 },
      { productId: eur?.id ?? "", quantity: 1 },
    ]);
    expect(result).toEqual({
      ok: false,
      reason: "mixed_currency",
      productIds: [usd?.id, usd2?.id, eur?.id],
    });
    expect([await stockOf(usd?.id), await stockOf(eur?.id), await stockOf(usd2?.id)]).toEqual([5, 5, 5]);
    expect(await rpc.release(order)).toEqual({ released: false });
    // Not found and inactive still win over short stock and mixed currencies, as priceAgainst orders them.
    const [off] = await insertProducts([{ stock: 0, isActive: false, currency: "EUR" }]);
    expect(
      await rpc.reserve(orderId(), [
        { productId: usd?.id ?? "", quantity: 99 },
        { productId: off?.id ?? "", quantity: 1 },
      ]),
    ).toEqual({ ok: false, reason: "inactive", productIds: [off?.id] });
  });

  it("keeps nothing for a refused orderId: a repeat is refused again, not answered from storage", async () => {
    const [made] = await insertProducts([{ stock: 1 }]);
    const order = orderId();
    const items = [{ productId: made?.id ?? "", quantity: 2 }];
    expect(await rpc.reserve(order, items)).toMatchObject({ ok: false, reason: "insufficient_stock" });
    expect(await rpc.reserve(order, items)).toMatchObject({ ok: false, reason: "insufficient_stock" });
    expect(await stockOf(made?.id)).toBe(1);
  });

  it("is idempotent per orderId: a repeat answers the first result and takes nothing more", async () => {
    const [made] = await insertProducts([{ stock: 5, price: 300, name: "Idem" }]);
    const order = orderId();
    const items = [{ productId: made?.id ?? "", quantity: 2 }];
    const first = await rpc.reserve(order, items);
    expect(first).toMatchObject({ ok: true, total: 600, currency: "USD" });
    await database(env.DB)
      .update(products)
      .set({ price: 999 })
      .where(eq(products.id, made?.id ?? ""));
    const again = await rpc.reserve(order, [{ productId: made?.id ?? "", quantity: 4 }]);
    expect(again).toEqual(first);
    expect(await stockOf(made?.id)).toBe(3);
  });

  it("is idempotent under concurrent repeats of the same orderId", async () => {
    const [made] = await insertProducts([{ stock: 10 }]);
    const order = orderId();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => rpc.reserve(order, [{ productId: made?.id ?? "", quantity: 3 }])),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(await stockOf(made?.id)).toBe(7);
  });

  it("releases once however often it is called, also concurrently", async () => {
    const [a, b] = await insertProducts([{ stock: 4 }, { stock: 6 }]);
    const order = orderId();
    await rpc.reserve(order, [
      { productId: a?.id ?? "", quantity: 4 },
      { productId: b?.id ?? "", quantity: 1 },
    ]);
    expect([await stockOf(a?.id), await stockOf(b?.id)]).toEqual([0, 5]);
    const releases = await Promise.all([rpc.release(order), rpc.release(order), rpc.release(order)]);
    expect(releases.filter((r) => r.released)).toHaveLength(1);
    expect(await rpc.release(order)).toEqual({ released: false });
    expect([await stockOf(a?.id), await stockOf(b?.id)]).toEqual([4, 6]);
    expect(await rpc.release(`unknown-${crypto.randomUUID()}`)).toEqual({ released: false });
  });

  it("keeps cached stock honest: a reservation retires the cached item", async () => {
    const [made] = await insertProducts([{ stock: 2, category: uniqueWord("cat") }]);
    const path = `/api/products/${made?.id}`;
    await call(path);
    expect((await call(path)).headers.get("x-cache")).toBe("HIT");
    await rpc.reserve(orderId(), [{ productId: made?.id ?? "", quantity: 2 }]);
    const after = await call(path);
    expect(after.headers.get("x-cache")).toBe("MISS");
    expect(((await after.json()) as { product: { stock: number } }).product.stock).toBe(0);
  });
});

describe("takeStock: the atomic batch on its own (no pre-check)", () => {
  const now = new Date();

  it("fails as a whole when the second item is short: no stock taken, no reservation kept", async () => {
    const [plenty, short] = await insertProducts([{ stock: 10 }, { stock: 1 }]);
    const order = orderId();
    const db = database(env.DB);
    const error = await takeStock(
      db,
      order,
      [
        { productId: plenty?.id ?? "", quantity: 3 },
        { productId: short?.id ?? "", quantity: 2 },
      ],
      now,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(error instanceof Error ? (error.cause ?? error) : error)).toMatch(
      /NOT NULL constraint failed/,
    );
    expect([await stockOf(plenty?.id), await stockOf(short?.id)]).toEqual([10, 1]);
    expect(await storedReservation(db, order)).toBeUndefined();
    expect(await db.select().from(reservations).where(eq(reservations.orderId, order))).toEqual([]);
  });

  it("fails as a whole when a later item is sold in another currency than the first", async () => {
    const [usd, eur] = await insertProducts([
      { stock: 10, currency: "USD" },
      { stock: 10, currency: "EUR" },
    ]);
    const db = database(env.DB);
    const order = orderId();
    const items = [
      { productId: usd?.id ?? "", quantity: 1 },
      { productId: eur?.id ?? "", quantity: 1 },
    ];
    await expect(takeStock(db, order, items, now)).rejects.toThrow();
    expect([await stockOf(usd?.id), await stockOf(eur?.id)]).toEqual([10, 10]);
    expect(await storedReservation(db, order)).toBeUndefined();
  });

  it("fails as a whole for an inactive or unknown product", async () => {
    const [ok, off] = await insertProducts([{ stock: 10 }, { stock: 10, isActive: false }]);
    const db = database(env.DB);
    for (const bad of [off?.id ?? "", "ghost"]) {
      const items = [
        { productId: ok?.id ?? "", quantity: 1 },
        { productId: bad, quantity: 1 },
      ];
      await expect(takeStock(db, orderId(), items, now)).rejects.toThrow();
    }
    expect([await stockOf(ok?.id), await stockOf(off?.id)]).toEqual([10, 10]);
  });

  it("takes exactly the stock asked for, bumps the catalog version and versions the products with it", async () => {
    const [a, b] = await insertProducts([
      { stock: 3, price: 10 },
      { stock: 3, price: 20 },
    ]);
    const db = database(env.DB);
    const before = await readCatalogVersion(db);
    const order = orderId();
    const {
      lines,
      listVersion,
      products: changed,
    } = await takeStock(
      db,
      order,
      [
        { productId: a?.id ?? "", quantity: 3 },
        { productId: b?.id ?? "", quantity: 1 },
      ],
      now,
    );
    const version = await readCatalogVersion(db);
    expect(version).toBeGreaterThan(before);
    // A sold out (its stock was exactly the 3 taken): the lists' version moved too.
    expect(listVersion).toBe(await readListVersion(db));
    // The bump runs before the stock updates, which set each product's version to it.
    expect(changed).toEqual([
      { id: a?.id, version },
      { id: b?.id, version },
    ]);
    expect(lines).toEqual([
      { productId: a?.id, name: a?.name, unitPrice: 10, currency: "USD", quantity: 3 },
      { productId: b?.id, name: b?.name, unitPrice: 20, currency: "USD", quantity: 1 },
    ]);
    expect([await stockOf(a?.id), await stockOf(b?.id)]).toEqual([0, 2]);
    expect(await storedReservation(db, order)).toMatchObject({ ok: true, total: 50 });
  });
});
