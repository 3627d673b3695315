import { describe, expect, it } from "vitest";
import { encodeCursor } from "../src/catalog/cursor";
import { call, insertProducts, list, uniqueWord } from "./helpers";

async function problemOf(query: string) {
  const response = await call(`/api/products?${query}`);
  expect(response.status, query).toBe(400);
  return (await response.json()) as { code: string; errors: { path: string }[] };
}

describe("GET /api/products?cursor", () => {
  it("pages by nextCursor without gaps or repeats, ties broken the same way as page numbers", async () => {
    const category = uniqueWord("cat");
    // Equal prices: the order within them is the insertion order (seq).
    await insertProducts(Array.from({ length: 7 }, (_, i) => ({ category, name: `Tie ${i}`, price: 500 })));
    const byNumber = await list({ category, sortBy: "price", sortOrder: "asc", limit: 100 });
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list({
        category,
        sortBy: "price",
        sortOrder: "asc",
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      walked.push(...page.products.map((p) => p.name));
      expect(page.pagination.total).toBe(7);
      cursor = page.pagination.nextCursor;
    } while (cursor);
    expect(walked).toEqual(byNumber.products.map((p) => p.name));
  });

  it("keeps the filters of the request that carries it (a cursor is a position, not a query)", async () => {
    const category = uniqueWord("cat");
    await insertProducts([100, 200, 300, 400].map((price) => ({ category, price })));
    const first = await list({ category, sortBy: "price", sortOrder: "asc", limit: 1 });
    const cursor = first.pagination.nextCursor ?? "";
    const cheaper = await list({ category, sortBy: "price", sortOrder: "asc", maxPrice: 300, cursor });
    expect(cheaper.products.map((p) => p.price)).toEqual([200, 300]);
    expect(cheaper.pagination.nextCursor).toBeNull();
  });

  it("carries the longest name a product can have (200 characters of three bytes each) sorted by name", async () => {
    const category = uniqueWord("cat");
    const names = [`${"\u6f22".repeat(199)}a`, `${"\u6f22".repeat(199)}b`, `${"\u6f22".repeat(199)}c`];
    await insertProducts(names.map((name) => ({ category, name })));
    const first = await list({ category, sortBy: "name", sortOrder: "asc", limit: 1 });
    const cursor = first.pagination.nextCursor ?? "";
    expect(cursor.length).toBeGreaterThan(400);
    const rest = await list({ category, sortBy: "name", sortOrder: "asc", limit: 5, cursor });
    expect(rest.products.map((p) => p.name)).toEqual(names.slice(1));
  });

  it.each([
    ["cursor=not-a-cursor", "cursor"],
    ["cursor=%3D%3D", "cursor"],
    [`cursor=${btoa('[1,"price:asc",1]')}`, "cursor"],
    [`cursor=${encodeCursor({ sortBy: "price", sortOrder: "asc" }, { key: 1, seq: 1 })}`, "cursor"],
    [
      `sortBy=name&cursor=${encodeCursor({ sortBy: "name", sortOrder: "asc" }, { key: 1, seq: 1 })}`,
      "cursor",
    ],
    [`page=2&cursor=${encodeCursor({ sortBy: "createdAt", sortOrder: "desc" }, { key: 1, seq: 1 })}`, "page"],
    [
      `search=mug&cursor=${encodeCursor({ sortBy: "createdAt", sortOrder: "desc" }, { key: 1, seq: 1 })}`,
      "cursor",
    ],
    [`cursor=${"a".repeat(2049)}`, "cursor"],
  ])("answers %s with a 400 naming %s", async (query, path) => {
    const body = await problemOf(query);
    expect(body.code).toBe("validation_failed");
    expect(body.errors.map((e) => e.path)).toContain(path);
  });

  it("gives no cursor to a search by relevance, and one to a search sorted by a field", async () => {
    const word = uniqueWord("q");
    await insertProducts(Array.from({ length: 3 }, (_, i) => ({ name: `${word} ${i}`, price: 100 * i })));
    expect((await list({ search: word, limit: 1 })).pagination.nextCursor).toBeNull();
    const sorted = await list({ search: word, sortBy: "price", sortOrder: "asc", limit: 1 });
    const next = await list({
      search: word,
      sortBy: "price",
      sortOrder: "asc",
      limit: 5,
      cursor: sorted.pagination.nextCursor ?? "",
    });
    expect(next.products.map((p) => p.price)).toEqual([100, 200]);
  });
});
