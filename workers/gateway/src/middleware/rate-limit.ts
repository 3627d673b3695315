import { AppError } from "@edge-shop/worker-kit";
import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway-env";
import { clientKey } from "../rate-limit/client-key";
import { takePermit } from "../rate-limit/leases";
import type { Decision, Policy } from "../rate-limit/sliding-window";
import { parsePolicy } from "../rate-limit/sliding-window";
import type { RateLimitPolicyName } from "../routes";

/** The client's address: Cloudflare sets CF-Connecting-IP at the edge (a local client may set it itself). */
export function clientIp(headers: Headers): string {
  return headers.get("cf-connecting-ip")?.trim() || "unknown";
}

/** Each policy's setting (`<limit>/<seconds>`) in the environment. */
const POLICY_VARS = {
  default: "RATE_LIMIT_DEFAULT",
  auth: "RATE_LIMIT_AUTH",
  refresh: "RATE_LIMIT_REFRESH",
} as const satisfies Record<RateLimitPolicyName, keyof Env>;

/** IETF RateLimit-Policy / RateLimit fields (draft-ietf-httpapi-ratelimit-headers). */
export function rateLimitHeaders(d: Decision): Record<string, string> {
  return {
    "ratelimit-policy": `"${d.policy}";q=${d.limit};w=${d.windowSeconds}`,
    ratelimit: `"${d.policy}";r=${d.remaining};t=${d.resetSeconds}`,
  };
}

// A policy is the same for every request under it, and this middleware is on every /api request's path: each
// is parsed once per isolate.
const policies = new Map<string, Policy>();

function policyFor(name: string, value: string): Policy {
  const key = `${name}=${value}`;
  let policy = policies.get(key);
  if (!policy) {
    policy = parsePolicy(name, value);
    policies.set(key, policy);
  }
  return policy;
}

/**
 * Counts the request under the route's policy in its client's Durable Object (one per IPv4 address or IPv6 /64),
 * through this isolate's lease of its permits (rate-limit/leases.ts); 429 with Retry-After when over.
 */
export function rateLimit(): MiddlewareHandler<GatewayEnv> {
  return async function rateLimitMiddleware(c, next) {
    const name = c.get("route")?.rateLimit ?? "default";
    const policy = policyFor(name, c.env[POLICY_VARS[name]]);
    const client = clientKey(clientIp(c.req.raw.headers));
    const namespace = c.env.RATE_LIMITER;
    // The object is asked only when this isolate's lease of its permits has run out.
    const decision = await takePermit(client, policy, () => namespace.get(namespace.idFromName(client)));
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
