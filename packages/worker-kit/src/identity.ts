import { Headers, type Identity, Roles } from "@edge-shop/contracts";
import type { Context, MiddlewareHandler } from "hono";
import { errors } from "./app-error";

type IdentityEnv = { Variables: { identity: Identity | undefined } };

/**
 * Reads the caller the gateway verified. Services are reachable only over service bindings
 * (workers_dev = false, no routes), so these headers can only have been set by the gateway.
 */
export function identity(): MiddlewareHandler<IdentityEnv> {
  return async function identityMiddleware(c, next) {
    const userId = c.req.header(Headers.userId);
    const role = c.req.header(Headers.userRole);
    const known = Roles.find((r) => r === role);
    c.set("identity", userId && known ? { userId, role: known } : undefined);
    await next();
  };
}

/** Any context whose variables include the identity (a service's route context, typed by its own env). */
type WithIdentity = Pick<Context<IdentityEnv>, "get">;

/** The verified caller, or a 401 problem. */
export function requireUser(c: WithIdentity): Identity {
  const who = c.get("identity");
  if (!who) throw errors.unauthorized();
  return who;
}

/** The verified caller when an admin, else 401/403. */
export function requireAdmin(c: WithIdentity): Identity {
  const who = requireUser(c);
  if (who.role !== "admin") throw errors.forbidden("Admin role required");
  return who;
}
