import type { ProductsApi } from "@edge-shop/contracts";

export interface Bindings {
  DB: D1Database;
  PRODUCTS: ProductsApi;
  ORDER_EVENTS: Queue;
  NOTIFICATION_EVENTS: Queue;
  ORDER_TTL_MINUTES: string;
}
