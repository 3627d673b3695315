import type { OrdersApi } from "@edge-shop/contracts";

export interface Bindings {
  DB: D1Database;
  ORDERS: OrdersApi;
  PAYMENT_EVENTS: Queue;
  NOTIFICATION_EVENTS: Queue;
  PAYMENT_PROVIDER: string;
}
