import type { Identity } from "@edge-shop/contracts";
import { OpenAPIHono } from "@hono/zod-openapi";
import { type IdentityBindings, identity } from "./identity";
import { notFound, onError } from "./on-error";
import { validationError } from "./problem";
import { requestId } from "./request-id";
import { requestLog } from "./request-log";

export type ServiceVariables = { requestId: string; identity: Identity | undefined };
export type ServiceEnv<Bindings extends object> = { Bindings: Bindings; Variables: ServiceVariables };
/** A service's Hono app, as its route modules register on it. */
export type ServiceApp<Bindings extends object> = OpenAPIHono<ServiceEnv<Bindings>>;

/**
 * The Hono app every service starts from: request id, identity from the gateway, request log,
 * problem+json errors (zod failures become 400 with `errors[]`), `GET /health`, and the service's OpenAPI
 * document at `GET /openapi.json` built from its `createRoute` definitions.
 */
export function createServiceApp<Bindings extends IdentityBindings>(service: string): ServiceApp<Bindings> {
  const app = new OpenAPIHono<ServiceEnv<Bindings>>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error);
    },
  });
  app.use(requestId());
  // Answered before the request log: the gateway's /health probes every service each time, and those
  // internal probes would otherwise be most log lines (the gateway logs its own /health request).
  app.get("/health", (c) => c.json({ status: "OK", service }));
  app.use(identity(), requestLog(service));
  app.onError(onError(service));
  app.notFound(notFound());
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  // Internal: the gateway merges every service's document into the one it serves at /openapi.json.
  app.doc31("/openapi.json", { openapi: "3.1.0", info: { title: `edge-shop ${service}`, version: "1.0.0" } });
  return app;
}
