import type { RateLimiter } from "./rate-limit/rate-limiter";

export interface GatewayBindings {
  USERS: Fetcher;
  PRODUCTS: Fetcher;
  ORDERS: Fetcher;
  PAYMENTS: Fetcher;
  NOTIFICATIONS: Fetcher;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  /** Comma-separated origins allowed by CORS. */
  CORS_ALLOWED_ORIGINS: string;
  /** `<limit>/<window seconds>`, e.g. `1000/900`. */
  RATE_LIMIT_DEFAULT: string;
  RATE_LIMIT_AUTH: string;
  SERVICE_TIMEOUT_MS: string;
  HEALTH_TIMEOUT_MS: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  /** Workers Analytics Engine dataset `edge_shop_gateway` (absent in tests that do not bind one). */
  METRICS?: AnalyticsEngineDataset;
  /** The git sha this worker was built from (`--var VERSION:<sha>`), shown by GET /api/admin/status. */
  VERSION?: string;
}

export type ServiceName = "users" | "products" | "orders" | "payments" | "notifications";

export const SERVICE_BINDINGS: Record<ServiceName, keyof GatewayBindings> = {
  users: "USERS",
  products: "PRODUCTS",
  orders: "ORDERS",
  payments: "PAYMENTS",
  notifications: "NOTIFICATIONS",
};

export function serviceFetcher(env: GatewayBindings, service: ServiceName): Fetcher {
  return env[SERVICE_BINDINGS[service]] as Fetcher;
}
