import { CatalogLimits, ProductListQuerySchema, type ProductSortField } from "@edge-shop/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { planPage } from "../src/catalog/page-plan";
import {
  CATEGORIES,
  type Expected,
  expected,
  generateCatalog,
  type ModelQuery,
  prng,
  storeCatalog,
  VOCABULARY,
} from "./catalog-model";
import { rowsRead } from "./explain";
import { admin, call, type ListBody } from "./helpers";

// 5,000 generated products, and random queries whose pages must equal a plain filter-sort of the same rows.
const SEED = 28;
const catalog = generateCatalog(5000, SEED);

beforeAll(() => storeCatalog(catalog));

interface Request {
  model: ModelQuery;
  limit: number;
}

function randomRequest(random: () => number): Request {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const price = random();
  // Some bounds fall inside a price band (src/catalog/price-bands.ts), so its walk skips what lies outside.
  const low = 100 * int(60) + (random() < 0.3 ? 1 + int(99) : 0);
  const thousand = 1 + int(3);
  const words = random() < 0.35 ? [pick(VOCABULARY), pick(VOCABULARY)].slice(0, 1 + int(2)) : undefined;
  // Sometimes the last word is typed halfway (a prefix).
  if (words && random() < 0.3) words[words.length - 1] = (words.at(-1) ?? "a").slice(0, 1 + int(3));
  const sortBy = random() < 0.25 ? undefined : pick<ProductSortField>(["createdAt", "price", "name"]);
  return {
    model: {
      includeInactive: random() < 0.2,
      ...(random() < 0.4 ? { category: pick(CATEGORIES) } : {}),
      ...(price < 0.3 ? {} : price < 0.5 ? { minPrice: low } : price < 0.7 ? { maxPrice: low } : {}),
      ...(price >= 0.7 && price < 0.88 ? { minPrice: low, maxPrice: low + 100 * int(10) } : {}),
      // Whole thousands: bounds that cut few bands, which the page statement walks itself.
      ...(price >= 0.88 ? { minPrice: 1000 * thousand, maxPrice: 1000 * (thousand + 1 + int(2)) - 1 } : {}),
      ...(words ? { search: words } : {}),
      ...(sortBy ? { sortBy } : {}),
      sortOrder: random() < 0.5 ? "asc" : "desc",
    },
    limit: pick([1, 7, 20, 50, 100]),
  };
}

function paramsOf(q: ModelQuery, limit: number, page?: { page?: number; cursor?: string }) {
  const params = new URLSearchParams({ limit: String(limit), sortOrder: q.sortOrder });
  if (q.includeInactive) params.set("includeInactive", "true");
  if (q.category) params.set("category", q.category);
  if (q.minPrice !== undefined) params.set("minPrice", String(q.minPrice));
  if (q.maxPrice !== undefined) params.set("maxPrice", String(q.maxPrice));
  if (q.search) params.set("search", q.search.join(" "));
  if (q.sortBy) params.set("sortBy", q.sortBy);
  if (page?.page) params.set("page", String(page.page));
  if (page?.cursor) params.set("cursor", page.cursor);
  return params;
}

async function fetchPage(
  q: ModelQuery,
  limit: number,
  page: { page?: number; cursor?: string },
): Promise<ListBody> {
  const params = paramsOf(q, limit, page);
  const response = await call(`/api/products?${params}`, q.includeInactive ? { as: admin } : {});
  if (response.status !== 200) throw new Error(`${params}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The page the model expects at `offset`: its ids (a set for a ranked search) and whether a next page exists. */
function pageOf(want: Expected, offset: number, limit: number, byCursor: boolean) {
  const size = byCursor && !want.ranked ? limit : Math.max(0, Math.min(limit, want.reach - offset));
  const ids = want.rows.slice(offset, offset + size).map((row) => row.id);
  return { ids, more: !want.ranked && size > 0 && want.rows.length > offset + size };
}

function describeCase(request: Request, extra: string): string {
  return `${paramsOf(request.model, request.limit)} ${extra}`;
}

async function checkPageNumber(request: Request, want: Expected, page: number): Promise<void> {
  const { model, limit } = request;
  const body = await fetchPage(model, limit, { page });
  const at = describeCase(request, `page=${page}`);
  const page_ = pageOf(want, (page - 1) * limit, limit, false);
  const got = body.products.map((p) => p.id);
  // A ranked search's pages hold its candidates in bm25 order, which the model does not compute.
  if (want.ranked) {
    expect(got.length, at).toBe(page_.ids.length);
    expect(
      want.rows.map((row) => row.id),
      at,
    ).toEqual(expect.arrayContaining(got));
  } else expect(got, at).toEqual(page_.ids);
  expect(body.pagination, at).toEqual({
    page,
    limit,
    total: want.total,
    pages: Math.ceil(want.reach / limit),
    totalIsEstimate: want.totalIsEstimate,
    nextCursor: page_.more ? expect.any(String) : null,
  });
}

/** Follows `nextCursor` from the first page, past the window of page numbers when the list is long enough. */
async function checkCursorWalk(request: Request, want: Expected): Promise<void> {
  const { model, limit } = request;
  let cursor: string | undefined;
  for (let n = 0; n < 6; n++) {
    const body = await fetchPage(model, limit, cursor ? { cursor } : {});
    const at = describeCase(request, `cursor page ${n + 1}`);
    const page = pageOf(want, n * limit, limit, n > 0);
    expect(
      body.products.map((p) => p.id),
      at,
    ).toEqual(page.ids);
    expect(body.pagination.total, at).toBe(want.total);
    if (!page.more) {
      expect(body.pagination.nextCursor, at).toBeNull();
      return;
    }
    cursor = body.pagination.nextCursor ?? undefined;
    expect(cursor, at).toEqual(expect.any(String));
  }
}

/** A search by relevance: its pages together hold each of its candidates once. */
async function checkRankedPages(request: Request, want: Expected): Promise<void> {
  const seen: string[] = [];
  for (let page = 1; page <= Math.ceil(want.reach / request.limit); page++) {
    seen.push(...(await fetchPage(request.model, request.limit, { page })).products.map((p) => p.id));
  }
  expect(seen.sort(), describeCase(request, "all pages")).toEqual(want.rows.map((row) => row.id).sort());
}

describe("GET /api/products against an in-memory filter-sort of 5,000 products", () => {
  it("answers random filters, sorts, searches and pages exactly as the model", async () => {
    const random = prng(SEED);
    const seen = { estimated: 0, ranked: 0, sorted: 0, narrowPrice: 0, wideByBounds: 0, wideBySpan: 0 };
    for (let i = 0; i < 120; i++) {
      const request = randomRequest(random);
      const want = expected(catalog, request.model);
      const { search, sortBy, minPrice, maxPrice } = request.model;
      if (want.totalIsEstimate) seen.estimated++;
      if (search) seen[sortBy ? "sorted" : "ranked"]++;
      if (!search && sortBy !== "price" && (minPrice !== undefined || maxPrice !== undefined)) {
        const query = ProductListQuerySchema.parse(
          Object.fromEntries(paramsOf(request.model, request.limit)),
        );
        const wide = planPage(query, false).bandsFrom === "bounds" ? "wideByBounds" : "wideBySpan";
        seen[want.totalIsEstimate ? wide : "narrowPrice"]++;
      }
      const pages = Math.ceil(want.reach / request.limit);
      for (const page of new Set([1, 2, 1 + Math.floor(random() * (pages + 1)), pages + 1])) {
        await checkPageNumber(request, want, page);
      }
      if (want.ranked) await checkRankedPages(request, want);
      else await checkCursorWalk(request, want);
    }
    // Every plan was taken several times: capped counts, both searches, each plan of a price filter.
    for (const [kind, n] of Object.entries(seen)) expect(n, kind).toBeGreaterThanOrEqual(5);
  });

  it("reaches every product of a long list by cursor, past the window, in order", async () => {
    const model: ModelQuery = { includeInactive: false, sortBy: "name", sortOrder: "asc" };
    const want = expected(catalog, model);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const body = await fetchPage(model, 100, cursor ? { cursor } : {});
      seen.push(...body.products.map((p) => p.id));
      cursor = body.pagination.nextCursor ?? undefined;
    } while (cursor);
    expect(want.rows.length).toBeGreaterThan(4 * CatalogLimits.window);
    expect(seen).toEqual(want.rows.map((row) => row.id));
  });

  it("caps what it counts: a wide price filter says 500 and `totalIsEstimate`, pages stop at the window", async () => {
    const body = await fetchPage({ includeInactive: false, minPrice: 0, sortOrder: "desc" }, 20, {
      page: 25,
    });
    expect(body.pagination).toMatchObject({ total: 500, pages: 25, totalIsEstimate: true });
    expect(body.products).toHaveLength(20);
    expect(body.pagination.nextCursor).toEqual(expect.any(String));
    const beyond = await fetchPage({ includeInactive: false, minPrice: 0, sortOrder: "desc" }, 20, {
      page: 26,
    });
    expect(beyond.products).toEqual([]);
    expect(beyond.pagination).toMatchObject({
      total: 500,
      pages: 25,
      totalIsEstimate: true,
      nextCursor: null,
    });
  });

  it("reads at most 2,000 rows for the first pages of any shape at this size", async () => {
    const over: string[] = [];
    const random = prng(SEED + 1);
    for (let i = 0; i < 200; i++) {
      const { model } = randomRequest(random);
      const limit = [1, 10, 20][i % 3] ?? 20;
      const raw = Object.fromEntries(paramsOf(model, limit, { page: 1 + (i % 2) }));
      const query = ProductListQuerySchema.parse(raw);
      const read = await rowsRead(query);
      if (read.page > 2000 || read.total > 2000)
        over.push(`${new URLSearchParams(raw)}: ${JSON.stringify(read)}`);
    }
    expect(over).toEqual([]);
  });

  // A range of just over the window's matches under another sort: without price bands, page 25 walked the
  // sort's index through ~4,000 products here (and ~50,000 at 50,000 products) to find 500 of them.
  it("reads about as many rows as it shows for a price range under another sort, at any page", async () => {
    const over: string[] = [];
    // 600 to 900 of the 5,000 products (fewer in one category): bounds inside price bands (cut to the range's
    // span, a second statement), and whole thousands (few bands, walked by the page statement).
    const ranges: { plain: [string, string]; category: [string, string] }[] = [
      { plain: ["1050", "1750"], category: ["1050", "4050"] },
      { plain: ["2000", "2999"], category: ["2000", "4999"] },
    ];
    for (const range of ranges)
      for (const sortBy of ["createdAt", "name"] as const)
        for (const category of [undefined, "Alpha"])
          for (const page of [1, 13, 25]) {
            const [minPrice, maxPrice] = category ? range.category : range.plain;
            const raw = { minPrice, maxPrice, sortBy, page: String(page) };
            const query = ProductListQuerySchema.parse({
              ...raw,
              limit: "20",
              ...(category ? { category } : {}),
            });
            const read = await rowsRead(query);
            if (read.page > 1500)
              over.push(`${new URLSearchParams(raw)} ${category}: ${JSON.stringify(read)}`);
          }
    expect(over).toEqual([]);
  });
});
