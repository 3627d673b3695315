import type { Identity } from "@edge-shop/contracts";
import { requireAdmin } from "@edge-shop/worker-kit";
import type { MiddlewareHandler } from "hono";

// Typed with only the variable it reads: requireAdmin's Context type does not accept a Context that also
// carries Bindings (Hono's Context is invariant in its Env).
type IdentityEnv = { Variables: { identity: Identity | undefined } };

/**
 * The gateway already lets only admins through to writes; checking again here means a misrouted or
 * internal call cannot write either. Runs before body validation, so an anonymous caller gets 401 (not 400).
 */
export function adminOnly(): MiddlewareHandler<IdentityEnv> {
  return async function adminOnlyMiddleware(c, next) {
    requireAdmin(c);
    await next();
  };
}
