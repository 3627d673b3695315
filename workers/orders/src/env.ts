import type { ProductsApi } from "@edge-shop/contracts";

export interface Bindings {
  DB: D1Database;
  PRODUCTS: ProductsApi;
  ORDER_EVENTS: Queue;
  NOTIFICATION_EVENTS: Queue;
  /** Producer to payment-events, used only to replay a dead letter (POST /api/admin/dead-letters/:id/replay). */
  REPLAY_QUEUE: Queue;
  /** Workers Analytics Engine dataset `edge_shop_orders` (absent in tests that do not bind one). */
  METRICS?: AnalyticsEngineDataset;
  ORDER_TTL_MINUTES: string;
  /** The git sha this worker was built from (`--var VERSION:<sha>`), shown by GET /api/admin/status. */
  VERSION?: string;
}
