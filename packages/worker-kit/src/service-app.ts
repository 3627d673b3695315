import type { Identity } from "@edge-shop/contracts";
import { OpenAPIHono } from "@hono/zod-openapi";
import { identity } from "./identity";
import { notFound, onError } from "./on-error";
import { validationError } from "./problem";
import { requestId } from "./request-id";
import { requestLog } from "./request-log";

export type ServiceVariables = { requestId: string; identity: Identity | undefined };
export type ServiceEnv<Bindings extends object> = { Bindings: Bindings; Variables: ServiceVariables };

/**
 * The Hono app every service starts from: request id, identity from the gateway, request log,
 * problem+json errors (zod failures become 400 with `errors[]`), and `GET /health`.
 */
export function createServiceApp<Bindings extends object>(service: string) {
  const app = new OpenAPIHono<ServiceEnv<Bindings>>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error);
    },
  });
  app.use(requestId(), identity(), requestLog(service));
  app.onError(onError(service));
  app.notFound(notFound());
  app.get("/health", (c) => c.json({ status: "OK", service }));
  return app;
}
