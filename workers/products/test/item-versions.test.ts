import { env, exports } from "cloudflare:workers";
import type { Product } from "@edge-shop/contracts";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { database } from "../src/db/client";
import { bumpCatalogVersion, catalogVersionNow, readCatalogVersion } from "../src/db/queries/catalog-version";
import { products } from "../src/db/schema";
import { call, insertProducts, send, uniqueWord } from "./helpers";

// Product pages are tagged with their product's own version: only a change of THAT product retires its page.

const rpc = exports.ProductsRpc;
const orderId = () => `order-${crypto.randomUUID()}`;
const mirrorKey = (id: string) => `item-version:${id}`;

async function page(id: string) {
  const response = await call(`/api/products/${id}`);
  const body = (await response.json()) as { product: Product };
  return { status: response.status, cache: response.headers.get("x-cache"), product: body.product };
}

async function listed(category: string) {
  const response = await call(`/api/products?category=${category}`);
  const { products: found } = (await response.json()) as { products: Product[] };
  return { cache: response.headers.get("x-cache"), stocks: found.map((p) => p.stock) };
}

async function versionOf(id: string): Promise<number | undefined> {
  const row = await database(env.DB)
    .select({ version: products.version })
    .from(products)
    .where(eq(products.id, id))
    .get();
  return row?.version;
}

// Two products of a fresh category, each page read until it is a HIT.
async function twoCachedPages() {
  const category = uniqueWord("cat");
  const [a, b] = await insertProducts([
    { category, stock: 5, price: 100 },
    { category, stock: 5, price: 200 },
  ]);
  if (!a || !b) throw new Error("no products");
  for (const id of [a.id, b.id]) {
    await page(id);
    expect((await page(id)).cache).toBe("HIT");
  }
  await listed(category);
  expect((await listed(category)).cache).toBe("HIT");
  return { category, a, b };
}

const keysRead = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((args) => args[0]);
const keysPut = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((args) => args[0]);

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("per-product versions of product pages", () => {
  it("retires only the reserved product's page on a reservation (new stock at once), no list", async () => {
    const { category, a, b } = await twoCachedPages();
    expect(await rpc.reserve(orderId(), [{ productId: a.id, quantity: 2 }])).toMatchObject({ ok: true });
    expect(await page(a.id)).toMatchObject({ cache: "MISS", product: { stock: 3 } });
    expect(await page(a.id)).toMatchObject({ cache: "HIT", product: { stock: 3 } });
    expect(await page(b.id)).toMatchObject({ cache: "HIT", product: { stock: 5 } });
    // Newest first: B, then A. Both still in stock: the lists keep their entry (stock-lists.test.ts).
    expect(await listed(category)).toEqual({ cache: "HIT", stocks: [5, 5] });
  });

  it("retires only the released product's page on a release", async () => {
    const { category, a, b } = await twoCachedPages();
    const order = orderId();
    expect(await rpc.reserve(order, [{ productId: b.id, quantity: 1 }])).toMatchObject({ ok: true });
    expect(await page(b.id)).toMatchObject({ cache: "MISS", product: { stock: 4 } });
    await listed(category);
    expect(await rpc.release(order)).toEqual({ released: true });
    expect(await page(b.id)).toMatchObject({ cache: "MISS", product: { stock: 5 } });
    expect(await page(a.id)).toMatchObject({ cache: "HIT", product: { stock: 5 } });
    expect(await listed(category)).toEqual({ cache: "HIT", stocks: [5, 5] });
    // A second release changes nothing, so it retires nothing.
    expect(await rpc.release(order)).toEqual({ released: false });
    expect((await page(b.id)).cache).toBe("HIT");
  });

  it("retires only the updated product's page on an admin update, and sets its version in the same batch", async () => {
    const { a, b } = await twoCachedPages();
    expect((await send("PATCH", `/api/products/${a.id}`, { price: 150 })).status).toBe(200);
    expect(await versionOf(a.id)).toBe(await readCatalogVersion(database(env.DB)));
    expect(await page(a.id)).toMatchObject({ cache: "MISS", product: { price: 150 } });
    expect(await page(b.id)).toMatchObject({ cache: "HIT", product: { price: 200 } });
  });

  it("gives a created product the catalog version its insert committed under", async () => {
    const created = await send("POST", "/api/products", {
      name: "Versioned",
      price: 1,
      category: "v",
      stock: 1,
    });
    const { product } = (await created.json()) as { product: Product };
    expect(await versionOf(product.id)).toBe(await readCatalogVersion(database(env.DB)));
    expect(await page(product.id)).toMatchObject({ cache: "MISS", product: { id: product.id } });
    expect((await page(product.id)).cache).toBe("HIT");
  });

  it("never serves an entry tagged with an older version of the product", async () => {
    const { a } = await twoCachedPages();
    expect((await send("PATCH", `/api/products/${a.id}`, { price: 175 })).status).toBe(200);
    const version = (await versionOf(a.id)) ?? 0;
    const stale = JSON.stringify({ product: { ...a, price: 1 } });
    await env.CACHE.put(`item:${a.id}`, `${version - 1}\n${stale}`, { expirationTtl: 60 });
    // From the memo (fresh: this isolate wrote it)…
    expect(await page(a.id)).toMatchObject({ cache: "MISS", product: { price: 175 } });
    await env.CACHE.put(`item:${a.id}`, `${version - 1}\n${stale}`, { expirationTtl: 60 });
    // …and from the KV mirror once the memo is a second old.
    vi.useFakeTimers({ now: Date.now() + 1500, toFake: ["Date"] });
    await env.CACHE.put(mirrorKey(a.id), String(version), { expirationTtl: 60 });
    expect(await page(a.id)).toMatchObject({ cache: "MISS", product: { price: 175 } });
  });

  it("sees another isolate's change of the product once its memory is a second old", async () => {
    const { a, b } = await twoCachedPages();
    // Another isolate changed A: the row and its version in one batch, and published the version to KV.
    const db = database(env.DB);
    const [[bumped]] = await db.batch([
      bumpCatalogVersion(db),
      db.update(products).set({ price: 999, version: catalogVersionNow() }).where(eq(products.id, a.id)),
    ]);
    await env.CACHE.put(mirrorKey(a.id), String(bumped?.version), { expirationTtl: 60 });
    expect((await page(a.id)).product.price).toBe(100);
    vi.useFakeTimers({ now: Date.now() + 1500, toFake: ["Date"] });
    expect(await page(a.id)).toMatchObject({ cache: "MISS", product: { price: 999 } });
    expect(await page(b.id)).toMatchObject({ cache: "HIT", product: { price: 200 } });
  });

  it("serves a hit with one KV get while the product's version is remembered, two (no D1) after", async () => {
    const { a } = await twoCachedPages();
    const reads = vi.spyOn(env.CACHE, "get");
    expect((await page(a.id)).cache).toBe("HIT");
    expect(keysRead(reads)).toEqual([`item:${a.id}`]);
    vi.useFakeTimers({ now: Date.now() + 1500, toFake: ["Date"] });
    reads.mockClear();
    expect((await page(a.id)).cache).toBe("HIT");
    expect(keysRead(reads).sort()).toEqual([`item:${a.id}`, mirrorKey(a.id)].sort());
  });

  it("answers from D1 when the product's mirror is gone, and publishes it again", async () => {
    const { a } = await twoCachedPages();
    const version = await versionOf(a.id);
    expect(await env.CACHE.get(mirrorKey(a.id))).toBe(String(version));
    await env.CACHE.delete(mirrorKey(a.id));
    vi.useFakeTimers({ now: Date.now() + 1500, toFake: ["Date"] });
    const puts = vi.spyOn(env.CACHE, "put");
    expect(await page(a.id)).toMatchObject({ cache: "MISS", product: { id: a.id, stock: 5 } });
    // The entry was already tagged with the row's version: only the mirror is put.
    expect(keysPut(puts)).toEqual([mirrorKey(a.id)]);
    expect(await env.CACHE.get(mirrorKey(a.id))).toBe(String(version));
    expect((await page(a.id)).cache).toBe("HIT");
  });

  it("never fails a write when KV refuses every put", async () => {
    const { category, a } = await twoCachedPages();
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    vi.spyOn(env.CACHE, "put").mockRejectedValue(new Error("KV PUT failed: 429 Too Many Requests"));
    expect((await send("PATCH", `/api/products/${a.id}`, { price: 120 })).status).toBe(200);
    expect(await rpc.reserve(orderId(), [{ productId: a.id, quantity: 1 }])).toMatchObject({ ok: true });
    expect(await page(a.id)).toMatchObject({ cache: "MISS", product: { price: 120, stock: 4 } });
    // Newest first: B, then A.
    expect(await listed(category)).toEqual({ cache: "MISS", stocks: [5, 4] });
  });
});
