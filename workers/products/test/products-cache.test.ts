import { env } from "cloudflare:workers";
import type { Product } from "@edge-shop/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { database } from "../src/db/client";
import { bumpCatalogVersion } from "../src/db/queries/catalog-version";
import { call, insertProducts, send, uniqueWord } from "./helpers";

// Whatever route was read: tests look only at the fields that route answers.
interface AnyBody {
  products: Product[];
  pagination: { total: number };
  product: Product;
  categories: { name: string; count: number }[];
}

async function get(path: string) {
  const response = await call(path);
  const body = (await response.json()) as AnyBody;
  return { status: response.status, cache: response.headers.get("x-cache"), body };
}

const input = (category: string, name = "Cached lamp") => ({ name, price: 4200, category, stock: 5 });

describe("KV cache of reads", () => {
  it("answers a list MISS then HIT with the same body", async () => {
    const category = uniqueWord("cat");
    await insertProducts([{ category }]);
    const first = await get(`/api/products?category=${category}`);
    const second = await get(`/api/products?category=${category}`);
    expect([first.cache, second.cache]).toEqual(["MISS", "HIT"]);
    expect(second.body).toEqual(first.body);
  });

  it("shares one entry between equivalent queries (defaults applied, search normalised)", async () => {
    const category = uniqueWord("cat");
    await get(`/api/products?category=${category}&search=lamp`);
    const again = await get(
      `/api/products?search=%22lamp&page=1&limit=10&sortOrder=desc&category=${category}`,
    );
    expect(again.cache).toBe("HIT");
  });

  it("caches a long query too (its key is hashed to fit KV's key limit)", async () => {
    const words = Array.from({ length: 12 }, () => uniqueWord("long").repeat(3)).join(" ");
    const path = `/api/products?search=${encodeURIComponent(`${words} ${"é".repeat(40)}`.slice(0, 200))}`;
    const first = await get(path);
    expect(first.status).toBe(200);
    expect([first.cache, (await get(path)).cache]).toEqual(["MISS", "HIT"]);
  });

  it("answers an item MISS then HIT, and never caches a 404", async () => {
    const [made] = await insertProducts([{ name: "Item cache" }]);
    expect((await get(`/api/products/${made?.id}`)).cache).toBe("MISS");
    expect((await get(`/api/products/${made?.id}`)).cache).toBe("HIT");
    const missing = `missing-${crypto.randomUUID()}`;
    expect((await get(`/api/products/${missing}`)).status).toBe(404);
    expect((await get(`/api/products/${missing}`)).status).toBe(404);
  });

  it("shows a created product at once in a list that was cached before", async () => {
    const category = uniqueWord("cat");
    await get(`/api/products?category=${category}`);
    expect((await get(`/api/products?category=${category}`)).cache).toBe("HIT");
    const created = await send("POST", "/api/products", input(category));
    expect(created.status).toBe(201);
    const { product } = (await created.json()) as { product: Product };
    const after = await get(`/api/products?category=${category}`);
    expect(after.cache).toBe("MISS");
    expect(after.body.products.map((p) => p.id)).toEqual([product.id]);
    expect((await get(`/api/products?category=${category}`)).cache).toBe("HIT");
  });

  it("shows an update at once in the cached item, list and categories", async () => {
    const category = uniqueWord("cat");
    const renamed = uniqueWord("cat");
    const [made] = await insertProducts([{ category, price: 100 }]);
    const path = `/api/products/${made?.id}`;
    await get(path);
    await get(`/api/products?category=${category}`);
    await get("/api/categories");
    expect((await get(path)).cache).toBe("HIT");
    expect((await send("PATCH", path, { price: 250, category: renamed })).status).toBe(200);
    const item = await get(path);
    expect(item.cache).toBe("MISS");
    expect(item.body.product).toMatchObject({ price: 250, category: renamed });
    expect((await get(`/api/products?category=${category}`)).body.products).toEqual([]);
    const categories = (await get("/api/categories")).body.categories;
    expect(categories).toContainEqual({ name: renamed, count: 1 });
    expect(categories.map((c) => c.name)).not.toContain(category);
  });

  it("hides a deleted product at once from its cached item and list", async () => {
    const category = uniqueWord("cat");
    const [made] = await insertProducts([{ category }]);
    const path = `/api/products/${made?.id}`;
    await get(path);
    await get(`/api/products?category=${category}`);
    expect((await call(path, { method: "DELETE", as: { userId: "a", role: "admin" } })).status).toBe(204);
    expect((await get(path)).status).toBe(404);
    expect((await get(`/api/products?category=${category}`)).body.pagination.total).toBe(0);
  });

  it("still answers from D1 when the published version is gone from KV", async () => {
    const category = uniqueWord("cat");
    await insertProducts([{ category }]);
    await get(`/api/products?category=${category}`);
    await env.CACHE.delete("catalog:list-version");
    const again = await get(`/api/products?category=${category}`);
    // The version is re-read from D1, which is the one the entry was cached under.
    expect(again.cache).toBe("HIT");
    expect(again.body.pagination.total).toBe(1);
  });

  it("answers a hit with the same JSON text and content type as the miss that stored it", async () => {
    const [made] = await insertProducts([{ name: "Byte exact", tags: ["a", "b"] }]);
    const path = `/api/products/${made?.id}`;
    const miss = await call(path);
    const hit = await call(path);
    expect([miss.headers.get("x-cache"), hit.headers.get("x-cache")]).toEqual(["MISS", "HIT"]);
    expect(hit.headers.get("content-type")).toBe("application/json");
    expect(miss.headers.get("content-type")).toBe("application/json");
    const text = await hit.text();
    expect(text).toBe(await miss.text());
    expect(JSON.parse(text)).toEqual({ product: made });
  });

  it("never serves an entry stored under another catalog version", async () => {
    const category = uniqueWord("cat");
    await insertProducts([{ category }]);
    await get(`/api/products?category=${category}`);
    expect((await get(`/api/products?category=${category}`)).cache).toBe("HIT");
    // A write elsewhere in the catalog bumps the version: every entry stored before it is retired.
    expect((await send("POST", "/api/products", input(uniqueWord("cat")))).status).toBe(201);
    expect((await get(`/api/products?category=${category}`)).cache).toBe("MISS");
    expect((await get(`/api/products?category=${category}`)).cache).toBe("HIT");
  });

  describe("this isolate's memory of the catalog version", () => {
    afterEach(() => {
      vi.useRealTimers();
      vi.restoreAllMocks();
    });

    const keysRead = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((args) => args[0]);

    it("serves a hit with one KV get while the version it remembers is fresh", async () => {
      const category = uniqueWord("cat");
      await insertProducts([{ category }]);
      await get(`/api/products?category=${category}`);
      const reads = vi.spyOn(env.CACHE, "get");
      expect((await get(`/api/products?category=${category}`)).cache).toBe("HIT");
      expect(keysRead(reads)).toHaveLength(1);
      expect(keysRead(reads)).not.toContain("catalog:list-version");
    });

    it("asks KV for the version again once the memory is a second old, and sees another isolate's write", async () => {
      const category = uniqueWord("cat");
      await insertProducts([{ category }]);
      await get(`/api/products?category=${category}`);
      expect((await get(`/api/products?category=${category}`)).cache).toBe("HIT");
      // Another isolate of this location wrote to the catalog: it bumped the version in D1 and published it to
      // KV, not to our memory.
      const [bumped] = await bumpCatalogVersion(database(env.DB));
      await env.CACHE.put("catalog:list-version", String(bumped?.listVersion), { expirationTtl: 60 });
      vi.useFakeTimers({ now: Date.now() + 1500, toFake: ["Date"] });
      const reads = vi.spyOn(env.CACHE, "get");
      expect((await get(`/api/products?category=${category}`)).cache).toBe("MISS");
      expect(keysRead(reads)).toContain("catalog:list-version");
    });
  });
});
