import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import { exportRoutes } from "./routes/export";
import { orderRoutes } from "./routes/orders";

/** The orders service's HTTP API: its route modules on worker-kit's service app. */
export const app = createServiceApp<Env>("orders");
orderRoutes(app);
exportRoutes(app);
adminRoutes(app, { service: "orders", deadLetters: true });
