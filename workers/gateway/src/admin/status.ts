import { errorFields, log, type ServiceStatus } from "@edge-shop/worker-kit";
import type { Context } from "hono";
import type { GatewayEnv } from "../gateway-env";
import { SERVICES, type ServiceName } from "../services";
import { callInternal, jsonOf } from "./internal-call";

type Down = { service: ServiceName; status: "DOWN"; error: string };

async function statusOf(c: Context<GatewayEnv>, service: ServiceName): Promise<ServiceStatus | Down> {
  try {
    const response = await callInternal(c, service, "/status");
    const status = response.status;
    const body = await jsonOf<ServiceStatus>(response);
    return body ?? { service, status: "DOWN", error: `status ${status}` };
  } catch (error) {
    log("warn", "admin status unavailable", { upstream: service, ...errorFields(error) });
    return { service, status: "DOWN", error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * `GET /api/admin/status` (admin): every service's version, applied migrations, outbox backlog and dead-letter
 * count, asked in parallel over the bindings. 200 when every service answered, else 503 with the rest.
 */
export async function adminStatus(c: Context<GatewayEnv>): Promise<Response> {
  const statuses = await Promise.all(SERVICES.map((name) => statusOf(c, name)));
  const ok = statuses.every((s) => s.status === "OK");
  return c.json(
    {
      status: ok ? "OK" : "DEGRADED",
      gateway: { version: c.env.VERSION || "unknown" },
      services: Object.fromEntries(SERVICES.map((name, i) => [name, statuses[i]])),
    },
    ok ? 200 : 503,
  );
}
