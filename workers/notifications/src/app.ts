import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import type { Bindings } from "./env";
import { notificationRoutes } from "./routes/notifications";
import { preferenceRoutes } from "./routes/preferences";

export const app = createServiceApp<Bindings>("notifications");

preferenceRoutes(app);
notificationRoutes(app);
adminRoutes(app, { service: "notifications", deadLetters: true });
