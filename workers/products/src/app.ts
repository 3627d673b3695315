import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import type { Bindings } from "./env";
import { registerCategoryRoutes } from "./routes/categories";
import { registerProductRoutes } from "./routes/products";

export const app = createServiceApp<Bindings>("products");
registerProductRoutes(app);
registerCategoryRoutes(app);
adminRoutes(app, { service: "products", deadLetters: false });
