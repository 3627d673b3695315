import { createServiceApp } from "@edge-shop/worker-kit";
import type { Bindings } from "./env";
import { orderRoutes } from "./routes/orders";

export const app = createServiceApp<Bindings>("orders");

app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
});
orderRoutes(app);

// This service's part of the OpenAPI document.
app.doc31("/openapi.json", { openapi: "3.1.0", info: { title: "edge-shop orders", version: "1.0.0" } });
