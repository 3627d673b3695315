import type { Context } from "hono";
import type { GatewayEnv } from "./gateway-env";
import { isolateCache } from "./isolate-cache";
import { deadline } from "./proxy";
import { SERVICES, type ServiceName, serviceFetcher } from "./services";

type Status = "OK" | "DOWN";
type Health = { status: "OK" | "DEGRADED"; services: Record<string, Status> };

// A call per service per answer: an isolate asks them at most every 2 s, whoever calls (see docs/architecture.md).
const HEALTH_CACHE_MS = 2000;
const cache = isolateCache<Health>(HEALTH_CACHE_MS);

async function check(c: Context<GatewayEnv>, service: ServiceName, expired: Promise<never>): Promise<Status> {
  try {
    const response = await Promise.race([
      serviceFetcher(c.env, service).fetch("https://internal/health", {
        headers: { "x-request-id": c.get("requestId") },
      }),
      expired,
    ]);
    await response.body?.cancel();
    return response.ok ? "OK" : "DOWN";
  } catch {
    return "DOWN";
  }
}

async function checkAll(c: Context<GatewayEnv>): Promise<Health> {
  // One timer for all the checks: they start together, so they share one deadline.
  const { expired, clear } = deadline(Number(c.env.HEALTH_TIMEOUT_MS), "health check timed out");
  const statuses = await Promise.all(SERVICES.map((name) => check(c, name, expired))).finally(clear);
  const services = Object.fromEntries(SERVICES.map((name, i) => [name, statuses[i] ?? "DOWN"]));
  return { status: statuses.every((s) => s === "OK") ? "OK" : "DEGRADED", services };
}

/**
 * Asks every service over its binding, in parallel: 200 `OK` when all answer, else 503 `DEGRADED`. The answer is
 * this isolate's of the last 2 s when it has one.
 */
export async function health(c: Context<GatewayEnv>): Promise<Response> {
  const answer = await cache.get("health", () => checkAll(c));
  return c.json(answer, answer.status === "OK" ? 200 : 503);
}

/** Forgets the cached answer (tests break services between cases). */
export function clearHealthCache(): void {
  cache.clear();
}
