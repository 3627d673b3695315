import type { Context } from "hono";
import type { GatewayEnv } from "./gateway-env";
import { deadline } from "./proxy";
import { SERVICES, type ServiceName, serviceFetcher } from "./services";

type Status = "OK" | "DOWN";

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

/** Asks every service over its binding, in parallel: 200 `OK` when all answer, else 503 `DEGRADED`. */
export async function health(c: Context<GatewayEnv>): Promise<Response> {
  // One timer for the five checks: they start together, so they share one deadline.
  const { expired, clear } = deadline(Number(c.env.HEALTH_TIMEOUT_MS), "health check timed out");
  const statuses = await Promise.all(SERVICES.map((name) => check(c, name, expired))).finally(clear);
  const services = Object.fromEntries(SERVICES.map((name, i) => [name, statuses[i]]));
  const ok = statuses.every((s) => s === "OK");
  return c.json({ status: ok ? "OK" : "DEGRADED", services }, ok ? 200 : 503);
}
