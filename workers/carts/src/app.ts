import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import { cartRoutes } from "./routes/carts";
import { exportRoutes } from "./routes/export";

/** The carts service's HTTP API: its route modules on worker-kit's service app. */
export const app = createServiceApp<Env>("carts");
cartRoutes(app);
exportRoutes(app);
adminRoutes(app, { service: "carts", deadLetters: true });
