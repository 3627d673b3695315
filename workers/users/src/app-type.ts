import type { createServiceApp } from "@edge-shop/worker-kit";
import type { Bindings } from "./env";

/** The users service's Hono app, as route modules register on it. */
export type UsersApp = ReturnType<typeof createServiceApp<Bindings>>;
