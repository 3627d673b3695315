import { exports } from "cloudflare:workers";
import type { Product } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { call, insertProducts, send, uniqueWord } from "./helpers";

// Buying does not retire browsing (issue 27): lists, searches and categories carry the list version, which a stock
// change moves only when a product sells out or comes back in stock. So a cached list may show a stock figure
// older than the product page's, never a sold-out product as in stock, nor a stale price.

interface AnyBody {
  products: Product[];
  product: Product;
  categories: { name: string; count: number }[];
}

async function get(path: string) {
  const response = await call(path);
  const body = (await response.json()) as AnyBody;
  return { cache: response.headers.get("x-cache"), body };
}

const orderId = () => `order-${crypto.randomUUID()}`;
const reserve = (productId: string, quantity: number, id = orderId()) =>
  exports.ProductsRpc.reserve(id, [{ productId, quantity }]);

/** A product of `stock` units in a category of its own (a list, a search and the product's page of it). */
async function cachedProduct(stock: number) {
  const category = uniqueWord("cat");
  const word = uniqueWord("sale");
  const [made] = await insertProducts([{ category, stock, tags: [word], price: 2500 }]);
  if (!made) throw new Error("no product");
  const paths = {
    list: `/api/products?category=${category}`,
    search: `/api/products?search=${word}`,
    item: `/api/products/${made.id}`,
  };
  for (const path of Object.values(paths)) await get(path);
  for (const path of Object.values(paths)) expect((await get(path)).cache).toBe("HIT");
  return { id: made.id, paths };
}

const stockIn = (body: AnyBody, id: string) => body.products.find((p) => p.id === id)?.stock;

describe("stock changes and the list cache", () => {
  it("keeps lists and searches cached through orders that leave stock, while the product's page is exact", async () => {
    const { id, paths } = await cachedProduct(5);
    expect(await reserve(id, 2)).toMatchObject({ ok: true });
    expect(await reserve(id, 2)).toMatchObject({ ok: true });
    const list = await get(paths.list);
    const search = await get(paths.search);
    expect([list.cache, search.cache]).toEqual(["HIT", "HIT"]);
    // In stock either way: the figure is the one the entry was cached with.
    expect([stockIn(list.body, id), stockIn(search.body, id)]).toEqual([5, 5]);
    const item = await get(paths.item);
    expect([item.cache, item.body.product.stock]).toEqual(["MISS", 1]);
  });

  it("retires lists and searches when an order sells a product out: they show it sold out at once", async () => {
    const { id, paths } = await cachedProduct(3);
    expect(await reserve(id, 1)).toMatchObject({ ok: true });
    expect((await get(paths.list)).cache).toBe("HIT");
    expect(await reserve(id, 2)).toMatchObject({ ok: true });
    for (const path of [paths.list, paths.search]) {
      const { cache, body } = await get(path);
      expect([cache, stockIn(body, id)]).toEqual(["MISS", 0]);
    }
    // A refused order changes nothing: still cached, still sold out.
    expect(await reserve(id, 1)).toMatchObject({ ok: false, reason: "insufficient_stock" });
    expect((await get(paths.list)).cache).toBe("HIT");
  });

  it("retires them when a release brings a sold-out product back, not when stock only grows", async () => {
    const { id, paths } = await cachedProduct(2);
    const first = orderId();
    const second = orderId();
    expect(await reserve(id, 1, first)).toMatchObject({ ok: true });
    expect(await reserve(id, 1, second)).toMatchObject({ ok: true });
    expect(stockIn((await get(paths.list)).body, id)).toBe(0);
    expect(await exports.ProductsRpc.release(first)).toEqual({ released: true });
    const back = await get(paths.list);
    expect([back.cache, stockIn(back.body, id)]).toEqual(["MISS", 1]);
    expect((await get(paths.list)).cache).toBe("HIT");
    // 1 → 2: still in stock, the cached list stays (with its older figure).
    expect(await exports.ProductsRpc.release(second)).toEqual({ released: true });
    const kept = await get(paths.list);
    expect([kept.cache, stockIn(kept.body, id)]).toEqual(["HIT", 1]);
    expect((await get(paths.item)).body.product.stock).toBe(2);
  });

  it("still retires them on any other catalog write: a new price shows at once", async () => {
    const { id, paths } = await cachedProduct(5);
    expect((await send("PATCH", `/api/products/${id}`, { price: 2600 })).status).toBe(200);
    for (const path of [paths.list, paths.search]) {
      const { cache, body } = await get(path);
      expect([cache, body.products.find((p) => p.id === id)?.price]).toEqual(["MISS", 2600]);
    }
  });

  it("keeps the category list cached through orders", async () => {
    const { id } = await cachedProduct(5);
    await get("/api/categories");
    expect((await get("/api/categories")).cache).toBe("HIT");
    expect(await reserve(id, 1)).toMatchObject({ ok: true });
    expect((await get("/api/categories")).cache).toBe("HIT");
  });

  it("fills an entry once for readers that miss it together (a sell-out's thundering herd)", async () => {
    const { id, paths } = await cachedProduct(1);
    expect(await reserve(id, 1)).toMatchObject({ ok: true });
    const answers = await Promise.all(Array.from({ length: 6 }, () => get(paths.list)));
    expect(answers.map((a) => a.cache).sort()).toEqual(["HIT", "HIT", "HIT", "HIT", "HIT", "MISS"]);
    for (const { body } of answers) expect(stockIn(body, id)).toBe(0);
  });
});
