/** The internal services behind the gateway: each a Worker in `workers/<name>/` with its own D1 database. */
export const SERVICES = ["users", "products", "orders", "payments", "notifications", "carts"] as const;
export type ServiceName = (typeof SERVICES)[number];
