import type { createServiceApp } from "@edge-shop/worker-kit";
import type { Bindings } from "./env";

/** The orders service's Hono app, as route modules register on it. */
export type OrdersApp = ReturnType<typeof createServiceApp<Bindings>>;
