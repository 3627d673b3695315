import { createServiceApp } from "@edge-shop/worker-kit";
import type { Bindings } from "./env";
import { notificationRoutes } from "./routes/notifications";
import { preferenceRoutes } from "./routes/preferences";

export const app = createServiceApp<Bindings>("notifications");

app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
});
preferenceRoutes(app);
notificationRoutes(app);

// This service's part of the OpenAPI document.
app.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: { title: "edge-shop notifications", version: "1.0.0" },
});
