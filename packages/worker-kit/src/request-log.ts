import type { Identity } from "@edge-shop/contracts";
import type { MiddlewareHandler } from "hono";
import { log } from "./log";

type Vars = { Variables: { requestId: string; identity?: Identity | undefined } };

/** One JSON line per request: enough to follow a request id across services. */
export function requestLog(service: string): MiddlewareHandler<Vars> {
  return async function requestLogMiddleware(c, next) {
    const started = Date.now();
    await next();
    log(c.res.status >= 500 ? "error" : "info", "request", {
      service,
      requestId: c.get("requestId"),
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      durationMs: Date.now() - started,
      userId: c.get("identity")?.userId,
    });
  };
}
