import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import { exportRoutes } from "./routes/export";
import { notificationRoutes } from "./routes/notifications";
import { preferenceRoutes } from "./routes/preferences";

/** The notifications service's HTTP API: its route modules on worker-kit's service app. */
export const app = createServiceApp<Env>("notifications");
preferenceRoutes(app);
notificationRoutes(app);
exportRoutes(app);
adminRoutes(app, { service: "notifications", deadLetters: true });
