import { Headers, type Identity, Roles } from "@edge-shop/contracts";
import type { MiddlewareHandler } from "hono";
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

/** Any context whose variables carry the identity: every service's route context, whatever its bindings. */
type WithIdentity = { var: { identity: Identity | undefined } };

/** The verified caller, or a 401 problem. */
export function requireUser(c: WithIdentity): Identity {
  const who = c.var.identity;
  if (!who) throw errors.unauthorized();
  return who;
}

/** The verified caller when an admin, else 401/403. */
export function requireAdmin(c: WithIdentity): Identity {
  const who = requireUser(c);
  if (who.role !== "admin") throw errors.forbidden("Admin role required");
  return who;
}

/**
 * A route's access check as middleware, so it runs before the route's validation: an anonymous caller gets
 * 401 and a user on an admin route 403, never a 400 about a body they may not send at all. The gateway checks
 * first; this is defence in depth. Handlers read the caller with `requireUser` / `requireAdmin`.
 */
export function signedIn(role: "user" | "admin" = "user"): MiddlewareHandler<IdentityEnv> {
  const check = role === "admin" ? requireAdmin : requireUser;
  return async function signedInMiddleware(c, next) {
    check(c);
    await next();
  };
}
