import type { Context } from "hono";
import { SERVICE_BINDINGS, type ServiceName, serviceFetcher } from "./env";
import type { GatewayEnv } from "./gateway-env";
import { Timeout } from "./proxy";

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
  const names = Object.keys(SERVICE_BINDINGS) as ServiceName[];
  // One timer for the five checks: they start together, so they share one deadline.
  let timer: ReturnType<typeof setTimeout> | null = null;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout("health check timed out")), Number(c.env.HEALTH_TIMEOUT_MS));
  });
  // Every check catches the rejection itself; this keeps an unobserved one from being reported.
  expired.catch(() => undefined);
  const statuses = await Promise.all(names.map((name) => check(c, name, expired))).finally(
    () => timer !== null && clearTimeout(timer),
  );
  const services = Object.fromEntries(names.map((name, i) => [name, statuses[i]]));
  const ok = statuses.every((s) => s === "OK");
  return c.json({ status: ok ? "OK" : "DEGRADED", services }, ok ? 200 : 503);
}
