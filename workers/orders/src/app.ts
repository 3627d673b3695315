import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import { adminPromotionRoutes } from "./routes/admin-promotions";
import { exportRoutes } from "./routes/export";
import { orderRoutes } from "./routes/orders";
import { promotionRoutes } from "./routes/promotions";
import { shippingOptionRoutes } from "./routes/shipping-options";

/** The orders service's HTTP API: its route modules on worker-kit's service app. */
export const app = createServiceApp<Env>("orders");
orderRoutes(app);
shippingOptionRoutes(app);
promotionRoutes(app);
adminPromotionRoutes(app);
exportRoutes(app);
adminRoutes(app, { service: "orders", deadLetters: true });
