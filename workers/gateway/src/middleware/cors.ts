import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway-env";

const EXPOSED = [
  "X-Request-Id",
  "RateLimit",
  "RateLimit-Policy",
  "Retry-After",
  "X-Cache",
  "Location",
  "Idempotent-Replayed",
  "ETag",
  "X-Orders-Bookmark",
  "X-Catalog-Bookmark",
].join(",");
const ALLOWED_HEADERS = [
  "Authorization",
  "Content-Type",
  "Idempotency-Key",
  "If-Match",
  "X-Request-Id",
  "X-Orders-Bookmark",
  "X-Catalog-Bookmark",
].join(",");
const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].join(",");
const MAX_AGE_SECONDS = "600";

function originsOf(list: string): Set<string> {
  return new Set(
    list
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
  );
}

/**
 * CORS for the origins listed in CORS_ALLOWED_ORIGINS; any other origin gets no CORS headers. A preflight is
 * answered here (204). Every header of an actual request is set once the response exists: hono's `cors()`
 * sets some before the handler runs, which makes Hono build a placeholder response and copy its headers into
 * the real one, on every request.
 */
export function corsFromEnv(): MiddlewareHandler<GatewayEnv> {
  let allowed: { list: string; origins: Set<string> } | undefined;
  return async function corsMiddleware(c, next) {
    const list = c.env.CORS_ALLOWED_ORIGINS;
    if (allowed?.list !== list) allowed = { list, origins: originsOf(list) };
    const origin = c.req.header("origin");
    const allowedOrigin = origin !== undefined && allowed.origins.has(origin) ? origin : undefined;

    if (c.req.method === "OPTIONS") {
      const headers = new Headers({ Vary: "Origin" });
      if (allowedOrigin) {
        headers.set("Access-Control-Allow-Origin", allowedOrigin);
        headers.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
        headers.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        headers.set("Access-Control-Max-Age", MAX_AGE_SECONDS);
      }
      return new Response(null, { status: 204, headers });
    }

    await next();
    const headers = c.res.headers;
    headers.append("Vary", "Origin");
    if (allowedOrigin) {
      headers.set("Access-Control-Allow-Origin", allowedOrigin);
      headers.set("Access-Control-Expose-Headers", EXPOSED);
    }
  };
}
