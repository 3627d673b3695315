import { adminRoutes, createServiceApp } from "@edge-shop/worker-kit";
import type { Bindings } from "./env";
import { authRoutes } from "./routes/auth";
import { jwksRoutes } from "./routes/jwks";
import { profileRoutes } from "./routes/profile";

export const app = createServiceApp<Bindings>("users");

app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
});
authRoutes(app);
profileRoutes(app);
jwksRoutes(app);
adminRoutes(app, { service: "users", deadLetters: false });

// This service's part of the OpenAPI document (the gateway only forwards /api/* and the JWKS).
app.doc31("/openapi.json", { openapi: "3.1.0", info: { title: "edge-shop users", version: "1.0.0" } });
