import { SERVICES, type ServiceName } from "@edge-shop/contracts";

export { SERVICES, type ServiceName };

/** The service binding of each service (`[[services]]` in the root wrangler.toml). */
const SERVICE_BINDINGS = {
  users: "USERS",
  products: "PRODUCTS",
  orders: "ORDERS",
  payments: "PAYMENTS",
  notifications: "NOTIFICATIONS",
  carts: "CARTS",
} as const satisfies Record<ServiceName, keyof Env>;

export function serviceFetcher(env: Env, service: ServiceName): Fetcher {
  return env[SERVICE_BINDINGS[service]];
}
