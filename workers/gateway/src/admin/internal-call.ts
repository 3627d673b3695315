import { Headers as H, type Identity } from "@edge-shop/contracts";
import { AppError, errors, INTERNAL_ADMIN_PREFIX, signIdentity } from "@edge-shop/worker-kit";
import type { Context } from "hono";
import type { GatewayEnv } from "../gateway-env";
import { Timeout, withTimeout } from "../proxy";
import { type ServiceName, serviceFetcher } from "../services";

/** The services that own a dead-letter queue (and its `dead_letters` table). */
export const DEAD_LETTER_SERVICES = [
  "orders",
  "payments",
  "notifications",
  "carts",
] as const satisfies ServiceName[];
export type DeadLetterService = (typeof DEAD_LETTER_SERVICES)[number];

/**
 * Calls a service's internal route (`/internal/…`) over its binding, as the verified caller `as` and with the
 * request id. A service that throws is a 502, one that does not answer in time a 504.
 */
export async function callService(
  c: Context<GatewayEnv>,
  service: ServiceName,
  path: string,
  init: { method?: string; as: Identity },
): Promise<Response> {
  const headers = new Headers({
    [H.requestId]: c.get("requestId"),
    [H.identity]: await signIdentity(c.env.IDENTITY_SECRET, init.as, c.get("requestId")),
  });
  try {
    return await withTimeout(
      serviceFetcher(c.env, service).fetch(`https://internal${path}`, {
        method: init.method ?? "GET",
        headers,
      }),
      Number(c.env.SERVICE_TIMEOUT_MS),
    );
  } catch (error) {
    const timedOut = error instanceof Timeout;
    throw new AppError(
      timedOut ? 504 : 502,
      timedOut ? "service_timeout" : "service_unavailable",
      `The ${service} service ${timedOut ? "did not answer in time" : "failed"}`,
      { cause: error },
    );
  }
}

/** Calls a service's internal admin route (`/internal/admin…`) as the verified admin (see `callService`). */
export async function callInternal(
  c: Context<GatewayEnv>,
  service: ServiceName,
  path: string,
  init: { method?: string } = {},
): Promise<Response> {
  const admin = c.get("identity");
  // The route rule already required an admin; this keeps a misconfigured rule from calling as anyone else.
  if (admin?.role !== "admin") throw errors.forbidden("Admin role required");
  return callService(c, service, `${INTERNAL_ADMIN_PREFIX}${path}`, { ...init, as: admin });
}

/** The JSON of a successful internal answer, or undefined (the failure is the caller's to report). */
export async function jsonOf<T>(response: Response): Promise<T | undefined> {
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  return (await response.json()) as T;
}
