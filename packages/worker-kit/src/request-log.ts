import type { Identity } from "@edge-shop/contracts";
import type { Context, MiddlewareHandler } from "hono";
import { withContext } from "./context";
import { d1Fields, d1TallyIf } from "./d1-stats";
import { logPlain } from "./log";
import { type MetricsDataset, recordRequest } from "./metrics";

type Vars = { Variables: { requestId: string; identity?: Identity | undefined } };

interface RequestLogOptions<E extends Vars> {
  /** The route as logged; default: the matched Hono route pattern (`/api/orders/:id`). */
  route?: (c: Context<E>) => string | undefined;
  /** Extra fields for the request's line (e.g. the gateway's upstream service). */
  fields?: (c: Context<E>) => Record<string, unknown>;
}

function bindingsOf(c: Context): { METRICS?: MetricsDataset; D1_STATS?: unknown } | undefined {
  return c.env as { METRICS?: MetricsDataset; D1_STATS?: unknown } | undefined;
}

/**
 * One JSON line and one metrics data point per request: enough to follow a request id across services. Every
 * log line written while the request runs carries its request id and service (see `withContext`).
 */
export function requestLog<E extends Vars>(service: string, options: RequestLogOptions<E> = {}) {
  const middleware: MiddlewareHandler<E> = async function requestLogMiddleware(c, next) {
    const started = Date.now();
    const requestId = c.get("requestId");
    const { METRICS: metrics, D1_STATS } = bindingsOf(c) ?? {};
    const d1 = d1TallyIf(D1_STATS);
    await withContext({ service, requestId, userId: c.get("identity")?.userId, metrics, d1 }, next);
    const durationMs = Date.now() - started;
    const route = options.route?.(c) ?? c.req.routePath;
    // Request ids are restricted to [A-Za-z0-9._:-] (request-id.ts), the rest is ours: no redaction needed.
    logPlain(c.res.status >= 500 ? "error" : "info", "request", {
      service,
      requestId,
      method: c.req.method,
      route,
      status: c.res.status,
      durationMs,
      userId: c.get("identity")?.userId,
      ...options.fields?.(c),
      ...d1Fields(d1),
    });
    recordRequest({ service, method: c.req.method, route, status: c.res.status, durationMs }, metrics);
  };
  return middleware;
}
