import type { Identity } from "@edge-shop/contracts";
import { errors, type ServiceEnv } from "@edge-shop/worker-kit";
import type { Context } from "hono";
import type { Bindings } from "../env";

/**
 * The caller the gateway verified, or a 401 (defence in depth: the gateway already requires a token).
 * Same check as worker-kit's `requireUser`, whose parameter type does not accept a typed route context.
 */
export function caller(c: Context<ServiceEnv<Bindings>>): Identity {
  const who = c.get("identity");
  if (!who) throw errors.unauthorized();
  return who;
}
