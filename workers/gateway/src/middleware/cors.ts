import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { GatewayEnv } from "../gateway-env";

const EXPOSED = [
  "X-Request-Id",
  "RateLimit",
  "RateLimit-Policy",
  "Retry-After",
  "X-Cache",
  "Location",
  "Idempotent-Replayed",
];
const ALLOWED = ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"];

function corsFor(origins: string): MiddlewareHandler {
  const allowed = new Set(
    origins
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
  );
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ALLOWED,
    exposeHeaders: EXPOSED,
    maxAge: 600,
  });
}

/**
 * CORS for the origins listed in CORS_ALLOWED_ORIGINS; any other origin gets no CORS headers. The middleware is
 * built once per allow-list and isolate, not per request: it is on every request's path.
 */
export function corsFromEnv(): MiddlewareHandler<GatewayEnv> {
  let built: { origins: string; middleware: MiddlewareHandler } | undefined;
  return async function corsMiddleware(c, next) {
    const origins = c.env.CORS_ALLOWED_ORIGINS;
    if (built?.origins !== origins) built = { origins, middleware: corsFor(origins) };
    return built.middleware(c, next);
  };
}
