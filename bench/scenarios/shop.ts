import { averageOf, type Formula, plus } from "../lib/floors.ts";
import { flashSaleScenario } from "./flash-sale.ts";
import type { ShopData } from "./shop-setup.ts";
import { type ShopStep, shopSteps } from "./shop-steps.ts";
import { type ShopLine, togetherLines } from "./together.ts";
import type { Scenario } from "./types.ts";

/** The ids of the shop scenarios, in the order they run (the catalog is read before orders bump it). */
export const SHOP_SCENARIO_IDS = [
  "gateway-alone",
  "gateway-alone-token",
  "products-alone",
  "products-alone-detail",
  "products-alone-miss",
  "health",
  "catalog-hit",
  "detail-hit",
  "media",
  "catalog-miss",
  "search",
  "login",
  "order",
  "checkout",
  "cart",
  "mix",
  "flash-sale",
] as const;

/** Each cached read's miss extra under its label, weighted by its share of the steps. */
function missExtraOf(steps: ShopStep[]): Record<string, Formula> {
  const extra: Record<string, Formula> = {};
  for (const { step, missExtra } of steps) {
    const label = step.label ?? "";
    if (missExtra) extra[label] = plus(extra[label] ?? {}, missExtra, 1 / steps.length);
  }
  return extra;
}

function scenario(
  id: (typeof SHOP_SCENARIO_IDS)[number],
  title: string,
  connections: number,
  steps: ShopStep[],
  target: Scenario["target"] = "gateway",
): ShopLine {
  return {
    scenario: {
      id,
      title,
      target,
      connections,
      steps: steps.map((s) => s.step),
      floor: averageOf(steps.map((s) => s.floor)),
      missExtra: missExtraOf(steps),
      writeShare: steps.filter((s) => s.writes).length / steps.length,
    },
    steps,
  };
}

/**
 * The checkout mix, per shopper session of 20 requests: 14 browsing (6 catalog pages, 5 product pages,
 * 2 searches, 1 category list), 4 cart requests (add the hot product, read the cart, add another product, read
 * it again: the connection's own guest cart), then 1 checkout = order the cart (by `cartId`, as the signed-in
 * shopper) and pay it (2 writes).
 */
function checkoutMix(s: ReturnType<typeof shopSteps>): ShopStep[] {
  return [
    s.listPage,
    s.detail,
    s.listPage,
    s.detail,
    s.searchHit,
    s.listPage,
    s.detail,
    s.categories,
    s.listPage,
    s.detail,
    s.searchHit,
    s.listPage,
    s.detail,
    s.listPage,
    s.cartAddHot,
    s.cartRead,
    s.cartAddOther,
    s.cartRead,
    s.cartOrder,
    s.pay,
  ];
}

function withMinSeconds(line: ShopLine, minSeconds: number): ShopLine {
  return { ...line, scenario: { ...line.scenario, minSeconds } };
}

function withTarget(line: ShopLine, minEfficiency: number): ShopLine {
  return { ...line, scenario: { ...line.scenario, minEfficiency } };
}

/** The shop through the gateway, each scenario at fixed concurrency. */
export function shopScenarios(data: ShopData, connections: number): Scenario[] {
  const s = shopSteps(data);
  const lines = [
    scenario("gateway-alone", "gateway alone → stub service", connections, [s.gatewayAlone], "gatewayStub"),
    scenario(
      "gateway-alone-token",
      "gateway alone → stub service, with a token",
      connections,
      [s.gatewayAloneAuthed],
      "gatewayStub",
    ),
    scenario(
      "products-alone",
      "catalog list, cache hit, products alone",
      connections,
      [s.listHitDirect],
      "products",
    ),
    scenario(
      "products-alone-detail",
      "product detail, cache hit, products alone",
      connections,
      [s.detailDirect],
      "products",
    ),
    scenario(
      "products-alone-miss",
      "catalog list, cache miss, products alone",
      connections,
      [s.listMissDirect],
      "products",
    ),
    scenario("health", "gateway health (6 services)", connections, [s.health]),
    scenario("catalog-hit", "catalog list, 20 items (cache hit)", connections, [s.listHit]),
    scenario("detail-hit", "product detail (cache hit)", connections, [s.detail]),
    scenario("media", "a hot picture, 320 px WebP (cache hit)", connections, [s.media]),
    scenario("catalog-miss", "catalog list, 20 items (cache miss)", connections, [s.listMiss]),
    scenario("search", "search, FTS5 (cache miss)", connections, [s.searchMiss]),
    withMinSeconds(scenario("login", "login (argon2id)", 2, [s.login]), 3),
    scenario("order", "order creation", connections, [s.order]),
    // The payment has no line of its own (it needs a pending order): this one pays each order it places.
    scenario("checkout", "checkout (order, then its payment)", connections, [s.order, s.pay]),
    // Its add writes only the cart's object (one storage put, no D1 batch): held to a read's 0.8 (issue 21).
    withTarget(
      scenario("cart", "cart (add an item, then read the cart)", connections, [s.cartAdd, s.cartRead]),
      0.8,
    ),
    scenario("mix", "checkout mix (70% browse, 20% cart, 10% checkout)", connections, checkoutMix(s)),
  ];
  // Right after the primitives (run.ts lists these lines after them): they are floors too.
  // The sale's floor mixes its outcomes (created, refused, browsed): no together line, the primitives' sums.
  return [...togetherLines(lines, connections), ...lines.map((l) => l.scenario), flashSaleScenario(data, s)];
}
