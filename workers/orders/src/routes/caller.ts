import type { Identity } from "@edge-shop/contracts";
import { errors, type ServiceEnv } from "@edge-shop/worker-kit";
import type { Context } from "hono";
import type { Bindings } from "../env";

/**
 * The caller the gateway verified, or a 401 (defence in depth: the gateway already requires a token here).
 * Same check as worker-kit's `requireUser`, whose `Context<IdentityEnv>` parameter does not accept a typed
 * route context.
 */
export function caller(c: Context<ServiceEnv<Bindings>>): Identity {
  const who = c.get("identity");
  if (!who) throw errors.unauthorized();
  return who;
}

/** The caller when an admin, else 401/403. */
export function admin(c: Context<ServiceEnv<Bindings>>): Identity {
  const who = caller(c);
  if (who.role !== "admin") throw errors.forbidden("Admin role required");
  return who;
}
