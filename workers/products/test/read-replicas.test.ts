import { env } from "cloudflare:workers";
import type { Product } from "@edge-shop/contracts";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { database } from "../src/db/client";
import { readListVersion } from "../src/db/queries/catalog-version";
import { products } from "../src/db/schema";
import { admin, call, insertProducts, send, uniqueWord } from "./helpers";
import { freshPng, upload } from "./images";

// Read replicas with read-your-writes (issue 27): catalog reads that reach D1 (cache fills, an admin's
// `includeInactive` reads) run in a session from the client's X-Catalog-Bookmark, admin writes at the primary; each
// answers the newest bookmark. A fill first reads the version in its session and goes to the primary when the
// replica is behind the tag it will store under. Locally D1 has no replicas: what is tested is the header's round
// trip, where each session starts, and which session each statement ran in when the tag runs ahead of D1.

const BOOKMARK = /^[0-9a-f]+(-[0-9a-f]+)*$/i;
const HEADER = "x-catalog-bookmark";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const valid = (category = uniqueWord("cat")) => ({ name: "Lamp", price: 2500, category, stock: 3 });

async function created(category?: string) {
  const response = await send("POST", "/api/products", valid(category));
  expect(response.status).toBe(201);
  const { product } = (await response.json()) as { product: Product };
  return { product, bookmark: String(response.headers.get(HEADER)) };
}

function get(path: string, bookmark?: string) {
  return call(path, bookmark === undefined ? {} : { headers: { [HEADER]: bookmark } });
}

/** Spies on the sessions started: each one's constraint, and every statement prepared in it. */
function recordSessions() {
  const withSession = env.DB.withSession.bind(env.DB);
  const prepared: { constraint: string | undefined; sql: string }[] = [];
  const spy = vi.spyOn(env.DB, "withSession").mockImplementation((constraint) => {
    const session = withSession(constraint);
    const recorded = {
      prepare: (sql: string) => {
        prepared.push({ constraint, sql });
        return session.prepare(sql);
      },
      batch: (statements: D1PreparedStatement[]) => session.batch(statements),
      getBookmark: () => session.getBookmark(),
    };
    return recorded as unknown as D1DatabaseSession;
  });
  const ranIn = (constraint: string) => prepared.filter((p) => p.constraint === constraint).map((p) => p.sql);
  return { spy, ranIn };
}

describe("X-Catalog-Bookmark", () => {
  it("answers a write's bookmark, from a session that starts at the primary", async () => {
    const sessions = vi.spyOn(env.DB, "withSession");
    const { bookmark } = await created();
    expect(bookmark).toMatch(BOOKMARK);
    expect(sessions.mock.calls).toEqual([["first-primary"]]);
  });

  it("anchors a fill at the bookmark sent back, and answers one at least as new", async () => {
    const category = uniqueWord("cat");
    const { product, bookmark } = await created(category);
    const sessions = vi.spyOn(env.DB, "withSession");
    const page = await get(`/api/products/${product.id}`, bookmark);
    expect(page.status).toBe(200);
    expect(page.headers.get("x-cache")).toBe("MISS");
    expect(sessions).toHaveBeenCalledWith(bookmark);
    const after = String(page.headers.get(HEADER));
    expect(after).toMatch(BOOKMARK);
    // Bookmarks sort by time: the read's is never behind the one it started from.
    expect(after >= bookmark).toBe(true);

    const listed = await get(`/api/products?category=${category}`, after);
    expect(listed.headers.get("x-cache")).toBe("MISS");
    expect(sessions).toHaveBeenLastCalledWith(after);
    const { products: found } = (await listed.json()) as { products: Product[] };
    expect(found.map((p) => p.id)).toEqual([product.id]);
    expect(String(listed.headers.get(HEADER)) >= after).toBe(true);
  });

  it("reads from any replica without a bookmark, and ignores a malformed one", async () => {
    const { product } = await created();
    const sessions = vi.spyOn(env.DB, "withSession");
    const odd = await get(`/api/products/${product.id}`, "'; drop table products; --");
    expect(odd.status).toBe(200);
    expect(sessions).toHaveBeenCalledWith("first-unconstrained");
    expect(sessions).not.toHaveBeenCalledWith("'; drop table products; --");
    expect(odd.headers.get(HEADER)).toMatch(BOOKMARK);

    sessions.mockClear();
    const list = await get(`/api/products?category=${uniqueWord("cat")}`);
    expect(list.headers.get("x-cache")).toBe("MISS");
    expect(sessions).toHaveBeenCalledWith("first-unconstrained");
    expect(list.headers.get(HEADER)).toMatch(BOOKMARK);
  });

  it("opens no session for a cached page: the client's own bookmark comes back, or none", async () => {
    const { product, bookmark } = await created();
    await get(`/api/products/${product.id}`);
    const sessions = vi.spyOn(env.DB, "withSession");
    const hit = await get(`/api/products/${product.id}`, bookmark);
    expect(hit.headers.get("x-cache")).toBe("HIT");
    expect(hit.headers.get(HEADER)).toBe(bookmark);
    const plain = await get(`/api/products/${product.id}`);
    expect(plain.headers.get("x-cache")).toBe("HIT");
    expect(plain.headers.get(HEADER)).toBeNull();
    expect(sessions).not.toHaveBeenCalled();
  });

  it("anchors categories and an admin's includeInactive reads at the bookmark too", async () => {
    const { product, bookmark } = await created();
    const deleted = await call(`/api/products/${product.id}`, { method: "DELETE", as: admin });
    expect(deleted.status).toBe(204);
    const after = String(deleted.headers.get(HEADER));
    expect(after >= bookmark).toBe(true);
    const sessions = vi.spyOn(env.DB, "withSession");
    const inactive = await call(`/api/products/${product.id}?includeInactive=true`, {
      as: admin,
      headers: { [HEADER]: after },
    });
    expect(inactive.status).toBe(200);
    expect(((await inactive.json()) as { product: Product }).product.isActive).toBe(false);
    expect(sessions).toHaveBeenLastCalledWith(after);
    expect(inactive.headers.get(HEADER)).toMatch(BOOKMARK);

    const listed = await call(`/api/products?includeInactive=true&category=${product.category}`, {
      as: admin,
      headers: { [HEADER]: after },
    });
    expect(((await listed.json()) as { products: Product[] }).products.map((p) => p.id)).toEqual([
      product.id,
    ]);
    expect(sessions).toHaveBeenLastCalledWith(after);

    const categories = await get("/api/categories", after);
    expect(categories.status).toBe(200);
    expect(categories.headers.get(HEADER)).toMatch(BOOKMARK);
  });

  it("answers the bookmark of every admin write, and none for a refused one", async () => {
    const { product } = await created();
    const sessions = vi.spyOn(env.DB, "withSession");
    const patched = await send("PATCH", `/api/products/${product.id}`, { price: 2600 });
    expect(patched.status).toBe(200);
    expect(patched.headers.get(HEADER)).toMatch(BOOKMARK);
    const replaced = await send("PUT", `/api/products/${product.id}`, valid(product.category));
    expect(replaced.headers.get(HEADER)).toMatch(BOOKMARK);
    const pictured = await upload(product.id, await freshPng());
    expect(pictured.status).toBe(201);
    expect(pictured.headers.get(HEADER)).toMatch(BOOKMARK);
    const unpictured = await call(`/api/products/${product.id}/images/0`, { method: "DELETE", as: admin });
    expect(unpictured.status).toBe(200);
    expect(unpictured.headers.get(HEADER)).toMatch(BOOKMARK);
    expect(new Set(sessions.mock.calls.map(([constraint]) => constraint))).toEqual(
      new Set(["first-primary"]),
    );

    const missing = await send("PATCH", "/api/products/no-such-product", { price: 1 });
    expect(missing.status).toBe(404);
    expect(missing.headers.get(HEADER)).toBeNull();
    const stale = await call(`/api/products/${product.id}`, {
      method: "PATCH",
      as: admin,
      headers: { "content-type": "application/json", "if-match": '"1"' },
      body: JSON.stringify({ price: 1 }),
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get(HEADER)).toBeNull();
  });
});

// A replica behind the write that moved a tag is simulated by a tag that runs ahead of D1 (published to the KV
// mirror by "another isolate"), read once this isolate's memo is a second old.
describe("a fill whose session is behind its tag", () => {
  const later = () => vi.useFakeTimers({ now: Date.now() + 1500, toFake: ["Date"] });

  it("fills a list from its session when the version it sees is the tag", async () => {
    const category = uniqueWord("cat");
    await insertProducts([{ category }]);
    // The tag as D1 has it (this isolate may have forgotten it, and the mirror may be gone).
    const tag = await readListVersion(database(env.DB));
    await env.CACHE.put("catalog:list-version", String(tag), { expirationTtl: 60 });
    const { spy, ranIn } = recordSessions();
    const response = await get(`/api/products?category=${category}`);
    expect(response.headers.get("x-cache")).toBe("MISS");
    expect(spy.mock.calls).toEqual([["first-unconstrained"]]);
    // The version with the page, in the one session (one batch: one snapshot).
    expect(ranIn("first-unconstrained").some((sql) => sql.includes("catalog_meta"))).toBe(true);
    expect(ranIn("first-unconstrained").some((sql) => sql.includes("products"))).toBe(true);
  });

  it("re-reads a list at the primary and stores that under the tag", async () => {
    const category = uniqueWord("cat");
    const [inserted] = await insertProducts([{ category }]);
    const tag = (await readListVersion(database(env.DB))) + 1;
    await env.CACHE.put("catalog:list-version", String(tag), { expirationTtl: 60 });
    later();
    const { spy, ranIn } = recordSessions();
    const puts = vi.spyOn(env.CACHE, "put");
    const response = await get(`/api/products?category=${category}`);
    expect(response.headers.get("x-cache")).toBe("MISS");
    expect(spy.mock.calls).toEqual([["first-unconstrained"], ["first-primary"]]);
    // The lagging session's version was behind the tag: the page stored came from the primary.
    expect(ranIn("first-unconstrained").some((sql) => sql.includes("catalog_meta"))).toBe(true);
    expect(ranIn("first-primary").join("\n")).toContain("products");
    expect(response.headers.get(HEADER)).toMatch(BOOKMARK);

    const [key] = puts.mock.calls.map(([k]) => k).filter((k) => k.startsWith("list:"));
    const stored = String(await env.CACHE.get(String(key)));
    expect(stored.startsWith(`${tag}\n`)).toBe(true);
    const body = JSON.parse(stored.slice(stored.indexOf("\n") + 1)) as { products: Product[] };
    expect(body.products.map((p) => p.id)).toEqual([inserted?.id]);
  });

  it("re-reads a product page at the primary when the row it sees is older than the tag", async () => {
    const [inserted] = await insertProducts([{ price: 1234 }]);
    if (!inserted) throw new Error("no product");
    const row = await database(env.DB)
      .select({ version: products.version })
      .from(products)
      .where(eq(products.id, inserted.id))
      .get();
    const version = row?.version ?? 0;
    await env.CACHE.put(`item-version:${inserted.id}`, String(version + 1), { expirationTtl: 60 });
    later();
    const { spy } = recordSessions();
    const response = await get(`/api/products/${inserted.id}`);
    expect(response.status).toBe(200);
    expect(spy.mock.calls).toEqual([["first-unconstrained"], ["first-primary"]]);
    expect(((await response.json()) as { product: Product }).product.price).toBe(1234);
    // Stored under the version of the row the primary answered, as any product page.
    expect(String(await env.CACHE.get(`item:${inserted.id}`)).startsWith(`${version}\n`)).toBe(true);
  });

  it("re-reads at the primary a product its session does not find while a tag says it exists", async () => {
    const [inserted] = await insertProducts([{}]);
    if (!inserted) throw new Error("no product");
    await env.CACHE.put(`item-version:${inserted.id}`, "999999", { expirationTtl: 60 });
    later();
    // The replica does not have the row yet: its session answers no product.
    const withSession = env.DB.withSession.bind(env.DB);
    const spy = vi.spyOn(env.DB, "withSession").mockImplementation((constraint) => {
      const session = withSession(constraint);
      if (constraint === "first-primary") return session;
      const empty = (sql: string) => session.prepare(sql.replace(/where/i, "where 0 and"));
      return { prepare: empty, batch: session.batch.bind(session), getBookmark: () => session.getBookmark() };
    });
    const response = await get(`/api/products/${inserted.id}`);
    expect(response.status).toBe(200);
    expect(spy.mock.calls).toEqual([["first-unconstrained"], ["first-primary"]]);
  });

  it("reads a product at the primary when no tag is known (its version is published again), not a missing one", async () => {
    const [inserted] = await insertProducts([{}]);
    if (!inserted) throw new Error("no product");
    await env.CACHE.delete(`item-version:${inserted.id}`);
    later();
    const sessions = vi.spyOn(env.DB, "withSession");
    expect((await get(`/api/products/${inserted.id}`)).status).toBe(200);
    expect(sessions.mock.calls).toEqual([["first-unconstrained"], ["first-primary"]]);
    sessions.mockClear();
    expect((await get("/api/products/no-such-product")).status).toBe(404);
    expect(sessions.mock.calls).toEqual([["first-unconstrained"]]);
  });
});
