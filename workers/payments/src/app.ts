import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import type { Bindings } from "./env";
import { paymentRoutes } from "./routes/payments";
import { webhookRoutes } from "./routes/webhook";

export const app = createServiceApp<Bindings>("payments");

app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
});
webhookRoutes(app);
paymentRoutes(app);
adminRoutes(app, { service: "payments", deadLetters: true });

// This service's part of the OpenAPI document, merged by the gateway into /openapi.json.
app.doc31("/openapi.json", { openapi: "3.1.0", info: { title: "edge-shop payments", version: "1.0.0" } });
