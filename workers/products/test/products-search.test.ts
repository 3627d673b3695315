import { describe, expect, it } from "vitest";
import { call, insertProducts, list, uniqueWord } from "./helpers";

describe("GET /api/products?search", () => {
  it("ranks a name match above a description match (bm25) when no sortBy is given", async () => {
    const word = uniqueWord("q");
    await insertProducts([
      {
        name: "Plain mug",
        description: `A mug that mentions ${word} once in passing, among many other words`,
      },
      { name: `The ${word} lamp`, description: "A lamp" },
      { name: "Rug", tags: [word] },
      { name: "Unrelated", description: "nothing to see" },
    ]);
    const body = await list({ search: word });
    expect(body.products.map((p) => p.name)).toEqual([`The ${word} lamp`, "Rug", "Plain mug"]);
    expect(body.pagination.total).toBe(3);
  });

  it("searches name, description and tags, every word required, the last as a prefix", async () => {
    const word = uniqueWord("q");
    await insertProducts([
      { name: `Wireless ${word} headphones` },
      { name: `Wired ${word} earbuds`, description: "over-ear headphones" },
      { name: `${word} speaker`, tags: ["wireless"] },
    ]);
    const names = async (search: string) =>
      (await list({ search, sortBy: "name", sortOrder: "asc" })).products.map((p) => p.name);
    expect(await names(`${word} wireless`)).toEqual([`${word} speaker`, `Wireless ${word} headphones`]);
    expect(await names(`${word} headph`)).toEqual([`Wired ${word} earbuds`, `Wireless ${word} headphones`]);
    expect(await names(`${word.slice(0, -2)}`)).toHaveLength(3);
  });

  it("combines search with category, price filters, an explicit sort and pages", async () => {
    const word = uniqueWord("q");
    const category = uniqueWord("cat");
    await insertProducts([
      { name: `${word} one`, category, price: 500 },
      { name: `${word} two`, category, price: 1500 },
      { name: `${word} three`, category, price: 2500 },
      { name: `${word} elsewhere`, price: 1500 },
      { name: `${word} hidden`, category, price: 1500, isActive: false },
    ]);
    const body = await list({ search: word, category, minPrice: 1000, sortBy: "price", sortOrder: "desc" });
    expect(body.products.map((p) => p.name)).toEqual([`${word} three`, `${word} two`]);
    const paged = await list({
      search: word,
      category,
      limit: 1,
      page: 2,
      sortBy: "price",
      sortOrder: "asc",
    });
    expect(paged.products.map((p) => p.name)).toEqual([`${word} two`]);
    expect(paged.pagination).toMatchObject({ page: 2, limit: 1, total: 3, pages: 3, totalIsEstimate: false });
  });

  it("pages a ranked search without overlap, and a page past the end keeps the true total", async () => {
    const word = uniqueWord("q");
    // Equal scores in pairs: ties are broken by insertion order, so the pages stay stable.
    await insertProducts([
      { name: `${word} a` },
      { name: "b", description: word },
      { name: `${word} c` },
      { name: "d", tags: [word] },
      { name: "e", description: word },
    ]);
    const ranked = (await list({ search: word, limit: 100 })).products.map((p) => p.name);
    expect(ranked).toEqual([`${word} a`, `${word} c`, "d", "b", "e"]);
    const pages = await Promise.all([1, 2, 3].map((page) => list({ search: word, limit: 2, page })));
    expect(pages.flatMap((p) => p.products.map((x) => x.name))).toEqual(ranked);
    expect(pages.map((p) => p.pagination.total)).toEqual([5, 5, 5]);
    const beyond = await list({ search: word, limit: 2, page: 4 });
    expect(beyond.products).toEqual([]);
    expect(beyond.pagination).toEqual({
      page: 4,
      limit: 2,
      total: 5,
      pages: 3,
      totalIsEstimate: false,
      nextCursor: null,
    });
    const none = await list({ search: uniqueWord("q"), page: 2 });
    expect(none.pagination).toEqual({
      page: 2,
      limit: 10,
      total: 0,
      pages: 0,
      totalIsEstimate: false,
      nextCursor: null,
    });
  });

  it("finds a product by its new name after an update, and no longer by the old one", async () => {
    const before = uniqueWord("q");
    const after = uniqueWord("q");
    const [made] = await insertProducts([{ name: `${before} kettle` }]);
    const response = await call(`/api/products/${made?.id}`, {
      method: "PATCH",
      as: { userId: "a", role: "admin" },
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: `${after} kettle` }),
    });
    expect(response.status).toBe(200);
    expect((await list({ search: before })).pagination.total).toBe(0);
    expect((await list({ search: after })).products.map((p) => p.id)).toEqual([made?.id]);
  });

  it.each([
    "' OR 1=1 --",
    '"unbalanced (',
    "NEAR(",
    "*",
    "\"'; DROP TABLE products; --",
    "a AND OR NOT",
    "^",
    "name:",
    "))))",
    "😀",
    "%_%",
  ])("treats %j as a normal search (200, never a 500)", async (search) => {
    const response = await call(`/api/products?search=${encodeURIComponent(search)}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { products: unknown[]; pagination: { total: number } };
    expect(Array.isArray(body.products)).toBe(true);
  });

  it("matches nothing when nothing searchable remains, and everything when search is blank", async () => {
    expect((await list({ search: "*" })).pagination.total).toBe(0);
    const all = await list({});
    expect((await list({ search: "  " })).pagination.total).toBe(all.pagination.total);
  });

  it("rejects an over-long search with a 400", async () => {
    const response = await call(`/api/products?search=${"a".repeat(201)}`);
    expect(response.status).toBe(400);
  });
});
