import { ProblemSchema } from "@edge-shop/contracts";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";

const ServiceStatus = z.enum(["OK", "DOWN"]);
const HealthSchema = z
  .object({
    status: z.enum(["OK", "DEGRADED"]),
    services: z.object({
      users: ServiceStatus,
      products: ServiceStatus,
      orders: ServiceStatus,
      payments: ServiceStatus,
      notifications: ServiceStatus,
    }),
  })
  .openapi("Health");

// Described, not served, here: the gateway's real handlers are plain Hono (see app.ts).
const described = new OpenAPIHono();
described.openapi(
  createRoute({
    method: "get",
    path: "/health",
    summary: "Health of the gateway and every service",
    tags: ["gateway"],
    responses: {
      200: {
        description: "Every service answered",
        content: { "application/json": { schema: HealthSchema } },
      },
      503: { description: "A service is down", content: { "application/json": { schema: HealthSchema } } },
      500: {
        description: "Unexpected error",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    },
  }),
  (c) => c.json({ status: "OK" as const, services: {} as z.infer<typeof HealthSchema>["services"] }, 200),
);

/** The gateway's own part of the public document: its info, servers, security scheme and `/health`. */
export function gatewayDocument(origin: string) {
  described.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Access token from POST /api/users/login, /register or /refresh (EdDSA JWT, 15 minutes).",
  });
  return described.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "edge-shop API",
      version: "1.0.0",
      description:
        "The shop's public API, through the gateway. Errors are RFC 9457 problem+json; money is in minor units.",
      license: { name: "MIT", url: "https://opensource.org/licenses/MIT" },
    },
    servers: [{ url: origin, description: "This gateway" }],
  });
}
