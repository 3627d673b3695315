import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway-env";
import { matchRoute } from "../routes";

/** Finds which service owns the path (and its access level) before limits and auth are applied. */
export function resolveRoute(): MiddlewareHandler<GatewayEnv> {
  return async function resolveRouteMiddleware(c, next) {
    c.set("route", matchRoute(c.req.method, c.req.path));
    await next();
  };
}
