import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import type { Bindings } from "./env";
import { orderRoutes } from "./routes/orders";

export const app = createServiceApp<Bindings>("orders");

orderRoutes(app);
adminRoutes(app, { service: "orders", deadLetters: true });
