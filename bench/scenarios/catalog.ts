import type { Context, Step } from "../lib/load.ts";
import { CATEGORY, type CatalogData, COMMON_WORD, PREFIX } from "./catalog-setup.ts";
import { BENCH_ADDRESS, field, PAGE, PRICE_CEILING, publicHeaders } from "./requests.ts";
import type { Scenario } from "./types.ts";

// The catalog lines of `pnpm bench -- --catalog N`: the list and search shapes of issue 28, the category list and
// the catalog's writes, each measured on the demo catalog and on N products. A line's uncached requests each carry
// a distinct query (a `maxPrice` above every price where the shape has no other value to vary), as the shop's
// cache-miss lines do. See bench/README.md, "A large catalog".

/** A page of at most PAGE products with a pagination (`empty`: none, a page past the reach). */
function pageCheck(empty = false): Step["check"] {
  return (body) => {
    const products = field(body, "products");
    if (!Array.isArray(products) || products.length > PAGE) return "no page of products";
    if (empty && products.length > 0) return `expected an empty page, got ${products.length}`;
    return typeof field(field(body, "pagination"), "total") === "number" ? undefined : "no pagination";
  };
}

/** One catalog line's shape: its requests, whether it reads or writes, the D1 figures it is judged by. */
export interface CatalogShape {
  shape: string;
  title: string;
  kind: "cached" | "read" | "write";
  /** The routes (or `rpc <method>`) whose D1 rows per call are the line's figures. */
  d1Routes: string[];
  /** Deep cursors the setup must find first. */
  cursors?: number;
  steps: (data: CatalogData) => Step[];
}

function unique() {
  let n = 0;
  return () => ++n;
}

/** One GET step whose n-th request (from 1) asks for `query(n)`, so that each is a cache miss. */
function uniqueRead(label: string, query: (n: number) => string, check = pageCheck()): Step[] {
  const next = unique();
  return [{ path: () => query(next()), headers: publicHeaders, expect: 200, label, check }];
}

const admin = (data: CatalogData) => ({ ...publicHeaders, authorization: `Bearer ${data.adminToken}` });

/** The shapes, in the order they run. */
export const CATALOG_SHAPES: CatalogShape[] = [
  {
    shape: "list-hit",
    title: "list, newest first (cache hit)",
    kind: "cached",
    d1Routes: ["GET /api/products"],
    steps: () => [
      {
        path: `/api/products?limit=${PAGE}`,
        headers: publicHeaders,
        expect: 200,
        label: "list",
        check: pageCheck(),
      },
    ],
  },
  {
    shape: "list-price",
    title: "list, newest first, with a price filter",
    kind: "read",
    d1Routes: ["GET /api/products"],
    steps: () =>
      uniqueRead(
        "list (unique query)",
        (n) => `/api/products?limit=${PAGE}&minPrice=${1000 + (n % 3000)}&maxPrice=${20_000 + n}`,
      ),
  },
  {
    // At 50,000 products the range holds about 600 (the price bands' case: docs/architecture.md, "Catalog and
    // search"); on the demo catalog, a few.
    shape: "list-price-range",
    title: "list, newest first, a price range of ~600 products, pages 1–25",
    kind: "read",
    d1Routes: ["GET /api/products"],
    steps: () =>
      uniqueRead("list (unique query)", (n) => {
        const page = 1 + (n % 25);
        // Distinct for each n below a million: minPrice takes n's last three digits, maxPrice the next three.
        const range = `minPrice=${40_000 + (n % 1000)}&maxPrice=${49_999 + (Math.floor(n / 1000) % 1000)}`;
        return `/api/products?limit=${PAGE}&page=${page}&${range}`;
      }),
  },
  {
    shape: "list-category-price",
    title: `list, one category (${CATEGORY}), sorted by price`,
    kind: "read",
    d1Routes: ["GET /api/products"],
    steps: () => {
      const category = encodeURIComponent(CATEGORY);
      return uniqueRead(
        "list (unique query)",
        (n) =>
          `/api/products?limit=${PAGE}&category=${category}&sortBy=price&sortOrder=asc&maxPrice=${PRICE_CEILING - n}`,
      );
    },
  },
  {
    shape: "list-deep",
    title: "list, page 200 and deeper, no filter",
    kind: "read",
    d1Routes: ["GET /api/products"],
    steps: () =>
      uniqueRead(
        "list (unique query)",
        (n) => `/api/products?limit=${PAGE}&page=${199 + n}`,
        pageCheck(true),
      ),
  },
  {
    shape: "list-cursor",
    title: "list, a deep page by cursor",
    kind: "read",
    d1Routes: ["GET /api/products"],
    cursors: 200,
    steps: (data) =>
      uniqueRead("list (unique query)", (n) => {
        // The demo catalog has two cursors, the large one the first 200 (4,000 products deep).
        const cursor = data.cursors.length > 0 ? data.cursors[n % data.cursors.length] : undefined;
        const at = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
        return `/api/products?limit=${PAGE}${at}&maxPrice=${PRICE_CEILING - n}`;
      }),
  },
  {
    shape: "search-common",
    title: `search, a common word ("${COMMON_WORD}")`,
    kind: "read",
    d1Routes: ["GET /api/products"],
    steps: () =>
      uniqueRead(
        "search (unique query)",
        (n) => `/api/products?search=${encodeURIComponent(COMMON_WORD)}&maxPrice=${PRICE_CEILING - n}`,
      ),
  },
  {
    shape: "search-prefix",
    title: `search, a prefix ("${PREFIX}")`,
    kind: "read",
    d1Routes: ["GET /api/products"],
    steps: () =>
      uniqueRead(
        "search (unique query)",
        (n) => `/api/products?search=${encodeURIComponent(PREFIX)}&maxPrice=${PRICE_CEILING - n}`,
      ),
  },
  {
    shape: "categories",
    title: "categories, after a stock change (a miss each time)",
    kind: "read",
    d1Routes: ["GET /api/categories"],
    steps: (data) => {
      const next = unique();
      return [
        {
          method: "PATCH",
          path: () => `/api/products/${data.productIds[0]}`,
          headers: () => admin(data),
          body: () => ({ stock: 1000 + (next() % 1000) }),
          expect: 200,
          label: "stock change",
        },
        {
          path: "/api/categories",
          headers: publicHeaders,
          expect: 200,
          label: "categories",
          check: (b) => (Array.isArray(field(b, "categories")) ? undefined : "no categories"),
        },
      ];
    },
  },
  {
    shape: "update",
    title: "product update (admin PATCH of a price)",
    kind: "write",
    d1Routes: ["PATCH /api/products/:id"],
    steps: (data) => {
      const next = unique();
      return [
        {
          method: "PATCH",
          path: () => `/api/products/${data.productIds[next() % data.productIds.length]}`,
          headers: () => admin(data),
          body: () => ({ price: 1000 + (next() % 5000) }),
          expect: 200,
          label: "update",
        },
      ];
    },
  },
  {
    shape: "reserve-release",
    title: "reservation and release (an order, then its cancel)",
    kind: "write",
    d1Routes: ["rpc reserve", "rpc release"],
    steps: (data) => {
      const next = unique();
      const shopper = { ...publicHeaders, authorization: `Bearer ${data.shopperToken}` };
      return [
        {
          method: "POST",
          path: "/api/orders",
          headers: () => ({ ...shopper, "idempotency-key": `catalog-order-${next()}-${Date.now()}` }),
          body: () => ({
            items: [{ productId: data.hotProductId, quantity: 1 }],
            shippingAddress: BENCH_ADDRESS,
          }),
          expect: 201,
          label: "order",
          check: (b, _h, ctx: Context) => {
            ctx.orderId = field(field(b, "order"), "id");
            return typeof ctx.orderId === "string" ? undefined : "no order";
          },
        },
        {
          method: "POST",
          path: (ctx) => (typeof ctx.orderId === "string" ? `/api/orders/${ctx.orderId}/cancel` : undefined),
          headers: shopper,
          expect: 200,
          label: "cancel",
        },
      ];
    },
  },
];

/** A catalog line's id: its shape and the catalog size it runs at. */
export const catalogLineId = (shape: string, size: number) => `scale:${shape}@${size}`;

/** Each shape at each size, built on `data` (the setup of the stack it runs on). */
export function catalogScenario(
  shape: CatalogShape,
  size: number,
  data: CatalogData,
  connections: number,
): Scenario {
  return {
    id: catalogLineId(shape.shape, size),
    title: `${shape.title}, ${size.toLocaleString("en-US")} products`,
    target: "gateway",
    connections,
    steps: shape.steps(data),
    catalog: { size, shape: shape.shape, kind: shape.kind, d1Routes: shape.d1Routes },
  };
}
