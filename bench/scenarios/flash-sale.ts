import type { Miniflare } from "miniflare";
import { FLOORS } from "../lib/floors.ts";
import type { Step } from "../lib/load.ts";
import { BENCH_ADDRESS, field, publicHeaders } from "./requests.ts";
import { type FlashSale, prepareFlashSale, type ShopData } from "./shop-setup.ts";
import type { shopSteps } from "./shop-steps.ts";
import type { SaleOutcome, Scenario } from "./types.ts";

/** The sale (issue 27): 200 buyers, one product of 1,000 units, ten orders of one unit per buyer. */
export const FLASH = { buyers: 200, units: 1000, ordersPerBuyer: 10, browsers: 200 } as const;

/**
 * A flash-sale order: one unit of the sale's product, by the connection's own buyer (one buyer per sequence of
 * orders: a connection sends one sequence), each with its own Idempotency-Key. Created (201, pending) while
 * stock lasts, then refused: 409 `insufficient_stock`, nothing else.
 */
function flashOrder(sale: FlashSale): Step {
  let buyers = 0;
  return {
    method: "POST",
    path: () => {
      sale.firstSentAt ??= performance.now();
      return "/api/orders";
    },
    headers: (ctx) => {
      ctx.buyer ??= sale.buyers[buyers++ % sale.buyers.length]?.token;
      return {
        ...publicHeaders,
        authorization: `Bearer ${String(ctx.buyer)}`,
        "idempotency-key": `flash-${crypto.randomUUID()}`,
      };
    },
    body: () => ({ items: [{ productId: sale.productId, quantity: 1 }], shippingAddress: BENCH_ADDRESS }),
    expect: [201, 409],
    label: "flash order",
    check: (b) => {
      const order = field(b, "order");
      if (order !== undefined) {
        sale.lastCreatedAt = performance.now();
        return field(order, "status") === "pending" ? undefined : "order not pending";
      }
      return field(b, "code") === "insufficient_stock"
        ? undefined
        : `refused with ${String(field(b, "code"))}`;
    },
  };
}

interface Counted {
  stock: number;
  reserved: number;
  ordered: number;
}

/** What D1 says was sold: the product's stock, its reservation lines (products) and its order lines (orders). */
async function counted(mf: Miniflare, productId: string): Promise<Counted> {
  const products = await mf.getD1Database("DB", "products");
  const orders = await mf.getD1Database("DB", "orders");
  const [stock, reserved, ordered] = await Promise.all([
    products.prepare("SELECT stock AS n FROM products WHERE id = ?").bind(productId).first<{ n: number }>(),
    products
      .prepare("SELECT coalesce(sum(quantity), 0) AS n FROM reservation_lines WHERE product_id = ?")
      .bind(productId)
      .first<{ n: number }>(),
    orders
      .prepare("SELECT coalesce(sum(quantity), 0) AS n FROM order_items WHERE product_id = ?")
      .bind(productId)
      .first<{ n: number }>(),
  ]);
  return { stock: stock?.n ?? -1, reserved: reserved?.n ?? 0, ordered: ordered?.n ?? 0 };
}

function problemsOf(c: Counted, units: number, created: number): string[] {
  const problems: string[] = [];
  if (c.stock !== 0) problems.push(`flash sale: ${c.stock} units left in D1 (expected 0)`);
  if (c.reserved !== units)
    problems.push(`flash sale: ${c.reserved} units reserved in D1 (expected ${units})`);
  if (c.ordered !== units) problems.push(`flash sale: ${c.ordered} units in orders' D1 (expected ${units})`);
  if (created !== units) problems.push(`flash sale: ${created} orders answered 201 (expected ${units})`);
  return problems;
}

/**
 * The flash sale: FLASH.buyers connections, each its own signed-in buyer, order one unit each of a product of
 * FLASH.units units until every connection has sent FLASH.ordersPerBuyer orders; beside them, FLASH.browsers
 * connections browse lists and searches (their hit rate is the "browsing is not slowed by buying").
 * Afterwards D1 must show exactly FLASH.units sold. The warm-up buys the hot product and browses, so the sale's
 * stock is intact when the measurement starts.
 */
export function flashSaleScenario(data: ShopData, s: ReturnType<typeof shopSteps>): Scenario {
  const sale: FlashSale = {
    units: FLASH.units,
    productId: "",
    buyers: [],
    firstSentAt: undefined,
    lastCreatedAt: undefined,
  };
  const order = flashOrder(sale);
  const browse = [s.listPage.step, s.searchHit.step, s.listPage.step, s.detail.step];
  return {
    id: "flash-sale",
    title: `flash sale (${FLASH.buyers} buyers, ${FLASH.units.toLocaleString("en-US")} units; ${FLASH.browsers} browsing)`,
    target: "gateway",
    connections: FLASH.buyers,
    steps: Array.from({ length: FLASH.ordersPerBuyer }, () => order),
    requests: FLASH.buyers * FLASH.ordersPerBuyer,
    // 400 connections on workerd's one thread: on a shared VM an answer took up to ~30 s, autocannon's default.
    timeoutSeconds: 120,
    warmupSteps: [s.order.step, ...browse],
    beside: { connections: FLASH.browsers, steps: browse },
    outcomeFloors: {
      "POST 201": FLOORS.order,
      "POST 409": FLOORS.orderRefused,
      "GET 200": FLOORS.cachedRead,
    },
    writeShare: FLASH.units / (FLASH.buyers * FLASH.ordersPerBuyer),
    prepare: () => prepareFlashSale(data, sale, FLASH.buyers),
    check: async (mf, result) => {
      const c = await counted(mf, sale.productId);
      const created = result.statuses["POST 201"] ?? 0;
      const outcome: SaleOutcome = {
        units: FLASH.units,
        sold: c.reserved,
        created,
        refused: result.statuses["POST 409"] ?? 0,
        sellOutSeconds: ((sale.lastCreatedAt ?? 0) - (sale.firstSentAt ?? 0)) / 1000,
        createdP99: result.p99ByStatus["201"] ?? Number.NaN,
      };
      return { problems: problemsOf(c, FLASH.units, created), sale: outcome };
    },
  };
}
