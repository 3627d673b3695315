import { FLOORS, type Formula, MISS_EXTRA } from "../lib/floors.ts";
import type { Context, Step } from "../lib/load.ts";
import { CLIENT_IP } from "../lib/stack.ts";
import type { ShopData } from "./shop-setup.ts";

type Json = Record<string, unknown>;
const isObject = (body: unknown): body is Json => typeof body === "object" && body !== null;
const field = (body: unknown, key: string): unknown => (isObject(body) ? body[key] : undefined);

const PAGE = 20;
// Prices in the catalog are far below this: a maxPrice just under it changes the cache key, not the result.
const PRICE_CEILING = 999_999_999;

const publicHeaders = { "cf-connecting-ip": CLIENT_IP };

function listCheck(min: number): Step["check"] {
  return (body) => {
    const products = field(body, "products");
    if (!Array.isArray(products) || products.length < min || products.length > PAGE) {
      return `expected ${min}–${PAGE} products, got ${Array.isArray(products) ? products.length : "none"}`;
    }
    return isObject(field(body, "pagination")) ? undefined : "no pagination";
  };
}

const detailCheck: Step["check"] = (body, _headers, ctx) =>
  field(field(body, "product"), "id") === ctx.productId ? undefined : "not the requested product";

/** The shop's requests as steps; each knows its floor and whether it writes. */
export function shopSteps(data: ShopData) {
  let n = 0;
  const next = () => ++n;
  const pick = <T>(list: T[], i: number): T => list[i % list.length] as T;
  const shopper = (ctx: Context) => {
    ctx.user ??= pick(data.users, next());
    return ctx.user as ShopData["users"][number];
  };
  const authed = (ctx: Context) => ({ ...publicHeaders, authorization: `Bearer ${shopper(ctx).token}` });
  const fullPage = Math.min(PAGE, data.productIds.length);

  const step = (s: Step, floor: Formula, writes = false, missExtra?: Formula) => ({
    step: s,
    floor,
    writes,
    missExtra,
  });
  const cachedRead = (s: Step & { label: keyof typeof MISS_EXTRA }, floor: Formula) =>
    step(s, floor, false, MISS_EXTRA[s.label]);
  return {
    health: step(
      {
        path: "/health",
        headers: publicHeaders,
        expect: 200,
        label: "health",
        check: (b) => (field(b, "status") === "OK" ? undefined : `status ${String(field(b, "status"))}`),
      },
      FLOORS.health,
    ),
    listHit: cachedRead(
      {
        path: `/api/products?limit=${PAGE}`,
        headers: publicHeaders,
        expect: 200,
        label: "list",
        check: listCheck(fullPage),
      },
      FLOORS.cachedRead,
    ),
    listHitDirect: cachedRead(
      { path: `/api/products?limit=${PAGE}`, expect: 200, label: "list", check: listCheck(fullPage) },
      FLOORS.productsAlone,
    ),
    listPage: cachedRead(
      {
        path: () => `/api/products?limit=${PAGE}&page=${1 + (next() % 3)}`,
        headers: publicHeaders,
        expect: 200,
        label: "list",
        check: listCheck(1),
      },
      FLOORS.cachedRead,
    ),
    listMiss: step(
      {
        path: () => `/api/products?limit=${PAGE}&maxPrice=${PRICE_CEILING - next()}`,
        headers: publicHeaders,
        expect: 200,
        label: "list (unique query)",
        check: listCheck(fullPage),
      },
      FLOORS.uncachedList,
    ),
    listMissDirect: step(
      {
        path: () => `/api/products?limit=${PAGE}&maxPrice=${PRICE_CEILING - next()}`,
        expect: 200,
        label: "list (unique query)",
        check: listCheck(fullPage),
      },
      FLOORS.productsAloneMiss,
    ),
    detail: cachedRead(
      {
        path: (ctx) => {
          ctx.productId = pick(data.productIds, next());
          return `/api/products/${encodeURIComponent(String(ctx.productId))}`;
        },
        headers: publicHeaders,
        expect: 200,
        label: "detail",
        check: detailCheck,
      },
      FLOORS.cachedRead,
    ),
    detailDirect: cachedRead(
      {
        path: (ctx) => {
          ctx.productId = pick(data.productIds, next());
          return `/api/products/${encodeURIComponent(String(ctx.productId))}`;
        },
        expect: 200,
        label: "detail",
        check: detailCheck,
      },
      FLOORS.productsAlone,
    ),
    searchMiss: step(
      {
        path: () => {
          const i = next();
          return `/api/products?search=${encodeURIComponent(pick(data.searchTerms, i))}&maxPrice=${PRICE_CEILING - i}`;
        },
        headers: publicHeaders,
        expect: 200,
        label: "search (unique query)",
        check: listCheck(1),
      },
      FLOORS.uncachedSearch,
    ),
    searchHit: cachedRead(
      {
        path: () => `/api/products?search=${encodeURIComponent(pick(data.searchTerms, next()))}`,
        headers: publicHeaders,
        expect: 200,
        label: "search",
        check: listCheck(1),
      },
      FLOORS.cachedRead,
    ),
    media: step(
      {
        path: data.hotPicture,
        expect: 200,
        label: "media",
        check: (_b, headers) =>
          headers["content-type"] === "image/webp" && headers.etag ? undefined : "not the picture",
      },
      FLOORS.media,
    ),
    categories: step(
      {
        path: "/api/categories",
        headers: publicHeaders,
        expect: 200,
        label: "categories",
        check: (b) => (Array.isArray(field(b, "categories")) ? undefined : "no categories"),
      },
      FLOORS.cachedRead,
    ),
    gatewayAlone: step(
      {
        path: () => `/api/products/stub-${next() % 100}`,
        headers: publicHeaders,
        expect: 200,
        label: "gateway → stub",
        check: (b) => (field(b, "ok") === true ? undefined : "not the stub's answer"),
      },
      FLOORS.gatewayAlone,
    ),
    gatewayAloneAuthed: step(
      {
        path: "/api/orders",
        headers: authed,
        expect: 200,
        label: "gateway → stub (token)",
        check: (b) => (field(b, "ok") === true ? undefined : "not the stub's answer"),
      },
      FLOORS.gatewayAloneAuthed,
    ),
    login: step(
      {
        method: "POST",
        path: "/api/users/login",
        headers: publicHeaders,
        body: (ctx) => ({ email: shopper(ctx).email, password: shopper(ctx).password }),
        expect: 200,
        label: "login",
        check: (b) => (typeof field(b, "token") === "string" ? undefined : "no token"),
      },
      FLOORS.login,
      true,
    ),
    profile: step(
      {
        path: "/api/users/profile",
        headers: authed,
        expect: 200,
        label: "profile",
        check: (b) => (typeof field(field(b, "user"), "id") === "string" ? undefined : "no user"),
      },
      FLOORS.authedRead,
    ),
    myOrders: step(
      {
        path: "/api/orders?limit=10",
        headers: authed,
        expect: 200,
        label: "my orders",
        check: (b) => (Array.isArray(field(b, "orders")) ? undefined : "no orders"),
      },
      FLOORS.authedList,
    ),
    order: step(
      {
        method: "POST",
        path: "/api/orders",
        headers: (ctx) => ({ ...authed(ctx), "idempotency-key": `bench-order-${next()}-${Date.now()}` }),
        body: () => ({
          items: [{ productId: data.hotProductId, quantity: 1 }],
          shippingAddress: { line1: "1 Bench St", city: "Springfield", postalCode: "12345", country: "US" },
        }),
        expect: 201,
        label: "order",
        check: (b, _h, ctx) => {
          const order = field(b, "order");
          ctx.orderId = field(order, "id");
          return field(order, "status") === "pending" ? undefined : "order not pending";
        },
      },
      FLOORS.order,
      true,
    ),
    pay: step(
      {
        method: "POST",
        path: (ctx) => (typeof ctx.orderId === "string" ? "/api/payments" : undefined),
        headers: (ctx) => ({ ...authed(ctx), "idempotency-key": `bench-pay-${next()}-${Date.now()}` }),
        body: (ctx) => ({ orderId: ctx.orderId, method: { type: "card", token: "tok_visa" } }),
        expect: 201,
        label: "pay",
        check: (b) =>
          field(field(b, "payment"), "status") === "succeeded" ? undefined : "payment did not succeed",
      },
      FLOORS.payment,
      true,
    ),
  };
}

export type ShopStep = ReturnType<typeof shopSteps>[keyof ReturnType<typeof shopSteps>];
