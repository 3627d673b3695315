import { AppError } from "@edge-shop/worker-kit";
import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway-env";
import type { Decision } from "../rate-limit/sliding-window";
import { parsePolicy } from "../rate-limit/sliding-window";

/** The client's address: Cloudflare sets CF-Connecting-IP at the edge (a local client may set it itself). */
export function clientIp(headers: Headers): string {
  return headers.get("cf-connecting-ip")?.trim() || "unknown";
}

/** IETF RateLimit-Policy / RateLimit fields (draft-ietf-httpapi-ratelimit-headers). */
export function rateLimitHeaders(d: Decision): Record<string, string> {
  return {
    "ratelimit-policy": `"${d.policy}";q=${d.limit};w=${d.windowSeconds}`,
    ratelimit: `"${d.policy}";r=${d.remaining};t=${d.resetSeconds}`,
  };
}

/** Counts the request in the client IP's Durable Object under the route's policy; 429 with Retry-After when over. */
export function rateLimit(): MiddlewareHandler<GatewayEnv> {
  return async function rateLimitMiddleware(c, next) {
    const name = c.get("route")?.rateLimit ?? "default";
    const policy = parsePolicy(name, name === "auth" ? c.env.RATE_LIMIT_AUTH : c.env.RATE_LIMIT_DEFAULT);
    const limiter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(clientIp(c.req.raw.headers)));
    const decision = await limiter.hit(policy);
    const headers = rateLimitHeaders(decision);
    if (!decision.allowed) {
      throw new AppError(429, "rate_limited", `Too many requests; try again in ${decision.resetSeconds} s`, {
        headers: { ...headers, "retry-after": String(decision.resetSeconds) },
        title: "Too many requests",
      });
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}
