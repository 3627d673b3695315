import type { createServiceApp } from "@edge-shop/worker-kit";
import type { Bindings } from "./env";

/** The notifications service's Hono app, as route modules register on it. */
export type NotificationsApp = ReturnType<typeof createServiceApp<Bindings>>;
