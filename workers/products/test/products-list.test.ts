import { describe, expect, it } from "vitest";
import { call, insertProducts, list, uniqueWord } from "./helpers";

describe("GET /api/products filters, sorting and pages", () => {
  it("lists only active products of a category, newest first by default, 10 a page", async () => {
    const category = uniqueWord("cat");
    const made = await insertProducts(
      Array.from({ length: 12 }, (_, i) => ({ name: `Item ${i}`, category, price: 100 * (i + 1) })),
    );
    await insertProducts([{ name: "Hidden", category, isActive: false }]);
    const first = await list({ category });
    expect(first.pagination).toEqual({
      page: 1,
      limit: 10,
      total: 12,
      pages: 2,
      totalIsEstimate: false,
      nextCursor: expect.any(String),
    });
    expect(first.products.map((p) => p.name)).toEqual(
      made
        .slice(2)
        .reverse()
        .map((p) => p.name),
    );
    const second = await list({ category, page: 2 });
    expect(second.products.map((p) => p.name)).toEqual(["Item 1", "Item 0"]);
    expect(first.products.every((p) => p.isActive && p.category === category)).toBe(true);
  });

  it("filters by an inclusive price range in minor units", async () => {
    const category = uniqueWord("cat");
    await insertProducts([100, 999, 1000, 2500, 2501, 9999].map((price) => ({ category, price })));
    const body = await list({ category, minPrice: 999, maxPrice: 2500, sortBy: "price", sortOrder: "asc" });
    expect(body.products.map((p) => p.price)).toEqual([999, 1000, 2500]);
    expect((await list({ category, minPrice: 2501 })).pagination.total).toBe(2);
    expect((await list({ category, maxPrice: 100 })).pagination.total).toBe(1);
  });

  it("sorts by price, name (case-insensitive) and createdAt in both orders", async () => {
    const category = uniqueWord("cat");
    await insertProducts([
      { category, name: "banana", price: 300, createdAt: new Date("2025-03-01") },
      { category, name: "Apple", price: 500, createdAt: new Date("2025-01-01") },
      { category, name: "cherry", price: 100, createdAt: new Date("2025-02-01") },
    ]);
    const names = async (q: Record<string, string>) =>
      (await list({ category, ...q })).products.map((p) => p.name);
    expect(await names({ sortBy: "price", sortOrder: "asc" })).toEqual(["cherry", "banana", "Apple"]);
    expect(await names({ sortBy: "price", sortOrder: "desc" })).toEqual(["Apple", "banana", "cherry"]);
    expect(await names({ sortBy: "name", sortOrder: "asc" })).toEqual(["Apple", "banana", "cherry"]);
    expect(await names({ sortBy: "name", sortOrder: "desc" })).toEqual(["cherry", "banana", "Apple"]);
    expect(await names({ sortBy: "createdAt", sortOrder: "asc" })).toEqual(["Apple", "cherry", "banana"]);
    expect(await names({})).toEqual(["banana", "cherry", "Apple"]);
  });

  it("pages with a custom limit, and a page past the end is empty with the true total", async () => {
    const category = uniqueWord("cat");
    await insertProducts(Array.from({ length: 5 }, (_, i) => ({ category, price: i })));
    const pages = await Promise.all(
      [1, 2, 3].map((page) => list({ category, limit: 2, page, sortBy: "price", sortOrder: "asc" })),
    );
    expect(pages.map((p) => p.products.map((x) => x.price))).toEqual([[0, 1], [2, 3], [4]]);
    expect(pages[0]?.pagination).toMatchObject({
      page: 1,
      limit: 2,
      total: 5,
      pages: 3,
      totalIsEstimate: false,
    });
    const beyond = await list({ category, limit: 2, page: 9 });
    expect(beyond.products).toEqual([]);
    expect(beyond.pagination).toEqual({
      page: 9,
      limit: 2,
      total: 5,
      pages: 3,
      totalIsEstimate: false,
      nextCursor: null,
    });
  });

  it.each([
    ["limit=101", "limit"],
    ["limit=0", "limit"],
    ["page=0", "page"],
    ["page=abc", "page"],
    ["sortBy=stock", "sortBy"],
    ["sortBy=createdAt;DROP", "sortBy"],
    ["sortOrder=sideways", "sortOrder"],
    ["minPrice=-1", "minPrice"],
    ["minPrice=1.5", "minPrice"],
    ["maxPrice=cheap", "maxPrice"],
    ["minPrice=500&maxPrice=100", "maxPrice"],
  ])("answers %s with a 400 problem naming %s", async (query, field) => {
    const response = await call(`/api/products?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe("validation_failed");
    expect(body.errors.map((e) => e.path)).toContain(field);
  });

  it("binds each query's own values to the statement its shape shares with others", async () => {
    const [a, b, none] = [uniqueWord("cat"), uniqueWord("cat"), uniqueWord("cat")];
    await insertProducts([
      { category: a, name: "A cheap", price: 100 },
      { category: a, name: "A dear", price: 900 },
      { category: b, name: "B cheap", price: 200 },
    ]);
    // One shape (category + maxPrice, newest first), so one prepared statement, run concurrently.
    const [cheapA, allA, cheapB, empty] = await Promise.all([
      list({ category: a, maxPrice: 500 }),
      list({ category: a, maxPrice: 1000 }),
      list({ category: b, maxPrice: 500 }),
      list({ category: none, maxPrice: 500 }),
    ]);
    expect(cheapA.products.map((p) => p.name)).toEqual(["A cheap"]);
    expect(allA.products.map((p) => p.name)).toEqual(["A dear", "A cheap"]);
    expect(allA.pagination.total).toBe(2);
    expect(cheapB.products.map((p) => p.name)).toEqual(["B cheap"]);
    expect(empty).toEqual({
      products: [],
      pagination: { page: 1, limit: 10, total: 0, pages: 0, totalIsEstimate: false, nextCursor: null },
    });
  });

  it("answers a limited product's maxPerOrder in a list and in both kinds of search", async () => {
    const word = uniqueWord("limited");
    const category = uniqueWord("cat");
    await insertProducts([
      { name: `${word} mug`, category, maxPerOrder: 2 },
      { name: `${word} cup`, category },
    ]);
    const shapes: Record<string, string>[] = [
      { category },
      { search: word },
      { search: word, sortBy: "price" },
    ];
    for (const query of shapes) {
      const page = await list({ ...query, limit: 100 });
      const limited = page.products.find((p) => p.name === `${word} mug`);
      const unlimited = page.products.find((p) => p.name === `${word} cup`);
      expect(limited?.maxPerOrder, JSON.stringify(query)).toBe(2);
      expect(unlimited, JSON.stringify(query)).toBeDefined();
      expect(unlimited).not.toHaveProperty("maxPerOrder");
    }
  });

  it("accepts limit=100", async () => {
    expect((await list({ limit: 100 })).pagination.limit).toBe(100);
  });
});

describe("GET /api/products/:id", () => {
  it("answers an active product and 404 for an inactive or unknown one", async () => {
    const [active, inactive] = await insertProducts([{ name: "Shown" }, { name: "Gone", isActive: false }]);
    const ok = await call(`/api/products/${active?.id}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ product: active });
    for (const id of [inactive?.id, "no-such-product"]) {
      const missing = await call(`/api/products/${id}`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get("content-type")).toBe("application/problem+json");
      expect(await missing.json()).toMatchObject({ status: 404, code: "not_found" });
    }
  });
});

describe("GET /api/categories", () => {
  it("counts active products per category", async () => {
    const a = uniqueWord("cat");
    const b = uniqueWord("cat");
    await insertProducts([
      { category: a },
      { category: a },
      { category: a, isActive: false },
      { category: b },
    ]);
    const response = await call("/api/categories");
    expect(response.status).toBe(200);
    const { categories } = (await response.json()) as { categories: { name: string; count: number }[] };
    expect(categories).toContainEqual({ name: a, count: 2 });
    expect(categories).toContainEqual({ name: b, count: 1 });
    const names = categories.map((c) => c.name);
    expect(names).toEqual([...names].sort());
  });
});
