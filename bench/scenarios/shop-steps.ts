import { FLOORS, type Formula, MISS_EXTRA } from "../lib/floors.ts";
import type { Context, Step } from "../lib/load.ts";
import { BENCH_ADDRESS, field, isObject, PAGE, PRICE_CEILING, publicHeaders } from "./requests.ts";
import type { ShopData } from "./shop-setup.ts";

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

const cartCheck: Step["check"] = (body, _headers, ctx) => {
  const cart = field(body, "cart");
  if (field(cart, "id") !== ctx.cartId) return "not the connection's cart";
  const items = field(cart, "items");
  return Array.isArray(items) && items.every((item) => field(item, "available") === true)
    ? undefined
    : "a line is unavailable";
};

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
  // Each connection fills its own guest cart (one Durable Object), as one customer does.
  let carts = 0;
  const cartOf = (ctx: Context) => {
    ctx.cartId ??= data.cartIds[carts++ % data.cartIds.length];
    return String(ctx.cartId);
  };
  // One unit per add, round the cart products: a line reaches its 100 units after 1,000 adds to the cart.
  const nextCartProduct = (ctx: Context) => {
    const n = Number(ctx.cartAdds ?? 0);
    ctx.cartAdds = n + 1;
    return data.cartProductIds[n % data.cartProductIds.length];
  };
  const cartAdd = (productOf: (ctx: Context) => string | undefined) =>
    step(
      {
        method: "POST",
        path: (ctx) => `/api/carts/${cartOf(ctx)}/items`,
        headers: publicHeaders,
        body: (ctx) => ({ productId: productOf(ctx), quantity: 1 }),
        expect: 200,
        label: "cart add",
        check: cartCheck,
      },
      FLOORS.cart,
      true,
    );
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
    order: step(
      {
        method: "POST",
        path: "/api/orders",
        headers: (ctx) => ({ ...authed(ctx), "idempotency-key": `bench-order-${next()}-${Date.now()}` }),
        body: () => ({
          items: [{ productId: data.hotProductId, quantity: 1 }],
          shippingAddress: BENCH_ADDRESS,
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
    cartAdd: cartAdd(nextCartProduct),
    // The mix's cart: the hot product, then another; its checkout empties it for the next session.
    cartAddHot: cartAdd(() => data.cartProductIds[0]),
    cartAddOther: cartAdd(() => data.cartProductIds[1]),
    cartRead: step(
      {
        path: (ctx) => `/api/carts/${cartOf(ctx)}`,
        headers: publicHeaders,
        expect: 200,
        label: "cart read",
        check: cartCheck,
      },
      FLOORS.cart,
    ),
    cartOrder: step(
      {
        method: "POST",
        path: "/api/orders",
        headers: (ctx) => ({ ...authed(ctx), "idempotency-key": `bench-cart-order-${next()}-${Date.now()}` }),
        body: (ctx) => ({ cartId: cartOf(ctx), shippingAddress: BENCH_ADDRESS }),
        expect: 201,
        label: "cart order",
        check: (b, _h, ctx) => {
          const order = field(b, "order");
          ctx.orderId = field(order, "id");
          const items = field(order, "items");
          if (!Array.isArray(items) || items.length !== 2) return "not the cart's two lines";
          return field(order, "status") === "pending" ? undefined : "order not pending";
        },
      },
      FLOORS.cartOrder,
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
