import type { ShopWorker } from "../lib/shop-config";

/** A worker as the loader returns it, with the shop's shape and placeholder ids unless told otherwise. */
export function worker(partial: Partial<ShopWorker> & Pick<ShopWorker, "id" | "name">): ShopWorker {
  return {
    configPath: partial.id === "gateway" ? "wrangler.toml" : `workers/${partial.id}/wrangler.toml`,
    d1: [],
    kv: [],
    queues: [],
    serviceTargets: [],
    routes: [],
    gaps: [],
    ...partial,
  };
}

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
const db = (service: string) => [{ binding: "DB", name: `edge-shop-${service}-staging`, id: ZERO_UUID }];

/** The staging shop as its configs describe it (names only; the real configs are checked in shop-config.test). */
export const stagingShop: ShopWorker[] = [
  worker({ id: "users", name: "users-staging", d1: db("users"), queues: ["notification-events-staging"] }),
  worker({
    id: "products",
    name: "products-staging",
    d1: db("products"),
    kv: [{ binding: "CACHE", id: "00000000000000000000000000000000" }],
  }),
  worker({
    id: "orders",
    name: "orders-staging",
    d1: db("orders"),
    serviceTargets: ["products-staging", "carts-staging"],
    queues: [
      "order-events-staging",
      "notification-events-staging",
      "payment-events-staging",
      "payment-events-staging-dlq",
    ],
  }),
  worker({
    id: "payments",
    name: "payments-staging",
    d1: db("payments"),
    serviceTargets: ["orders-staging"],
    queues: [
      "payment-events-staging",
      "notification-events-staging",
      "order-events-staging",
      "order-events-staging-dlq",
    ],
  }),
  worker({
    id: "notifications",
    name: "notifications-staging",
    d1: db("notifications"),
    serviceTargets: ["users-staging"],
    queues: ["notification-events-staging", "notification-events-staging-dlq"],
  }),
  worker({ id: "carts", name: "carts-staging", d1: db("carts"), serviceTargets: ["products-staging"] }),
  worker({
    id: "gateway",
    name: "gateway-staging",
    serviceTargets: [
      "users-staging",
      "products-staging",
      "orders-staging",
      "payments-staging",
      "notifications-staging",
      "carts-staging",
    ],
  }),
];
