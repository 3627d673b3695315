import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import { categoryRoutes } from "./routes/categories";
import { productImageRoutes } from "./routes/product-images";
import { productRoutes } from "./routes/products";

/** The products service's HTTP API: its route modules on worker-kit's service app. */
export const app = createServiceApp<Env>("products");
productRoutes(app);
productImageRoutes(app);
categoryRoutes(app);
adminRoutes(app, { service: "products", deadLetters: false });
