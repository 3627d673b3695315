import type { Context } from "hono";
import { SERVICE_BINDINGS, type ServiceName, serviceFetcher } from "./env";
import type { GatewayEnv } from "./gateway-env";
import { withTimeout } from "./proxy";

type Status = "OK" | "DOWN";

async function check(c: Context<GatewayEnv>, service: ServiceName): Promise<Status> {
  try {
    const response = await withTimeout(
      serviceFetcher(c.env, service).fetch("https://internal/health", {
        headers: { "x-request-id": c.get("requestId") },
      }),
      Number(c.env.HEALTH_TIMEOUT_MS),
    );
    await response.body?.cancel();
    return response.ok ? "OK" : "DOWN";
  } catch {
    return "DOWN";
  }
}

/** Asks every service over its binding, in parallel: 200 `OK` when all answer, else 503 `DEGRADED`. */
export async function health(c: Context<GatewayEnv>): Promise<Response> {
  const names = Object.keys(SERVICE_BINDINGS) as ServiceName[];
  const statuses = await Promise.all(names.map((name) => check(c, name)));
  const services = Object.fromEntries(names.map((name, i) => [name, statuses[i]]));
  const ok = statuses.every((s) => s === "OK");
  return c.json({ status: ok ? "OK" : "DEGRADED", services }, ok ? 200 : 503);
}
