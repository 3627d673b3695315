import { Headers as H, identityHeaders } from "@edge-shop/contracts";
import { AppError, signIdentity } from "@edge-shop/worker-kit";
import type { Context } from "hono";
import type { GatewayEnv } from "./gateway-env";
import { serviceFetcher } from "./services";

/** The rejection of `withTimeout` when time is up. */
export class Timeout extends Error {}

/**
 * A promise that rejects with `Timeout` after `ms` (for `Promise.race`, by one or several waits that share the
 * deadline), and `clear` to cancel it. Its rejection is observed here, so a deadline nobody raced is never
 * reported as unhandled.
 */
export function deadline(ms: number, message = `timed out after ${ms} ms`) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(message)), ms);
  });
  expired.catch(() => undefined);
  return { expired, clear: () => timer !== null && clearTimeout(timer) };
}

/** Races a promise against a timer; the timer is cleared either way. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  const { expired, clear } = deadline(ms);
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clear();
  }
}

// Hop-by-hop and identity headers never cross the gateway from the client.
const STRIPPED = new Set<string>([
  ...identityHeaders,
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
]);

// The verified caller travels signed for this one request: a service trusts nothing else (worker-kit `identity`).
async function forwardedHeaders(c: Context<GatewayEnv>): Promise<Headers> {
  const headers = new Headers();
  for (const [name, value] of c.req.raw.headers) {
    if (!STRIPPED.has(name.toLowerCase())) headers.set(name, value);
  }
  const requestId = c.get("requestId");
  headers.set(H.requestId, requestId);
  const identity = c.get("identity");
  if (identity) headers.set(H.identity, await signIdentity(c.env.IDENTITY_SECRET, identity, requestId));
  return headers;
}

/**
 * Forwards the request, path and query unchanged, to the service that owns it. Service errors pass through
 * as they are; a service that throws is a 502 and one that does not answer in time is a 504.
 */
export async function proxyToService(c: Context<GatewayEnv>): Promise<Response> {
  const route = c.get("route");
  // The gateway's own routes never reach a service through here (see app.ts); guard the type anyway.
  if (!route || route.service === "gateway") {
    throw new AppError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`);
  }
  const hasBody = c.req.method !== "GET" && c.req.method !== "HEAD";
  const request = new Request(c.req.url, {
    method: c.req.method,
    headers: await forwardedHeaders(c),
    body: hasBody ? await c.req.raw.arrayBuffer() : null,
    // A service's redirect is the client's to follow (the payment simulator's page sends the browser back).
    redirect: "manual",
  });
  try {
    // A promise race, not `signal: AbortSignal.timeout(…)`, which costs more per subrequest.
    // See docs/architecture.md, "Gateway".
    const response = await withTimeout(
      serviceFetcher(c.env, route.service).fetch(request),
      Number(c.env.SERVICE_TIMEOUT_MS),
    );
    // A fresh Response so the gateway can add its own headers to it.
    return new Response(response.body, response);
  } catch (error) {
    if (error instanceof Timeout) {
      throw new AppError(504, "service_timeout", `The ${route.service} service did not answer in time`, {
        cause: error,
      });
    }
    throw new AppError(502, "service_unavailable", `The ${route.service} service failed`, { cause: error });
  }
}
