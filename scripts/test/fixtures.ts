import type { ShopWorker } from "../lib/shop-config";

/** A worker as the loader returns it, with the shop's shape and placeholder ids unless told otherwise. */
export function worker(partial: Partial<ShopWorker> & Pick<ShopWorker, "id" | "name">): ShopWorker {
  return {
    configPath: partial.id === "gateway" ? "wrangler.toml" : `workers/${partial.id}/wrangler.toml`,
    d1: [],
    kv: [],
    r2: [],
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
  worker({
    id: "users",
    name: "users-staging",
    d1: db("users"),
    queues: [
      "notifications-queue-staging",
      "orders-queue-staging",
      "payments-queue-staging",
      "carts-queue-staging",
    ],
  }),
  worker({
    id: "products",
    name: "products-staging",
    d1: db("products"),
    kv: [{ binding: "CACHE", id: "00000000000000000000000000000000" }],
    r2: ["edge-shop-media-staging"],
  }),
  worker({
    id: "orders",
    name: "orders-staging",
    d1: db("orders"),
    serviceTargets: ["products-staging", "carts-staging"],
    queues: [
      "payments-queue-staging",
      "notifications-queue-staging",
      "orders-queue-staging",
      "orders-queue-staging-dlq",
    ],
  }),
  worker({
    id: "payments",
    name: "payments-staging",
    d1: db("payments"),
    serviceTargets: ["orders-staging"],
    queues: [
      "orders-queue-staging",
      "notifications-queue-staging",
      "payments-queue-staging",
      "payments-queue-staging-dlq",
    ],
  }),
  worker({
    id: "notifications",
    name: "notifications-staging",
    d1: db("notifications"),
    serviceTargets: ["users-staging"],
    queues: ["notifications-queue-staging", "notifications-queue-staging-dlq"],
  }),
  worker({
    id: "carts",
    name: "carts-staging",
    d1: db("carts"),
    serviceTargets: ["products-staging"],
    queues: ["carts-queue-staging", "carts-queue-staging-dlq"],
  }),
  worker({
    id: "gateway",
    name: "gateway-staging",
    r2: ["edge-shop-media-staging"],
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
