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

/** CORS for the origins listed in CORS_ALLOWED_ORIGINS; any other origin gets no CORS headers. */
export function corsFromEnv(): MiddlewareHandler<GatewayEnv> {
  return async function corsMiddleware(c, next) {
    const allowed = new Set(
      c.env.CORS_ALLOWED_ORIGINS.split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    );
    return cors({
      origin: (origin) => (allowed.has(origin) ? origin : null),
      allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      allowHeaders: ALLOWED,
      exposeHeaders: EXPOSED,
      maxAge: 600,
    })(c, next);
  };
}
