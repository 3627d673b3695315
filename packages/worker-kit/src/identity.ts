import { Headers, type Identity } from "@edge-shop/contracts";
import type { MiddlewareHandler } from "hono";
import { AppError, errors } from "./app-error";
import { log } from "./log";
import { verifyIdentity } from "./signed-identity";

type IdentityEnv = { Variables: { identity: Identity | undefined } };

/** What a service needs to trust a caller: the secret the gateway signs identities with. */
export interface IdentityBindings {
  IDENTITY_SECRET: string;
}

/**
 * Reads the caller the gateway verified and signed for this request (`x-identity`). No header is an anonymous
 * request; a header that does not verify (wrong secret, tampered, expired, signed for another request) is a 401:
 * a service reached some other way than through the gateway never takes anyone's word for who they are.
 */
export function identity(): MiddlewareHandler<{
  Bindings: IdentityBindings;
  Variables: { identity: Identity | undefined; requestId: string };
}> {
  return async function identityMiddleware(c, next) {
    const signed = c.req.header(Headers.identity);
    let who: Identity | undefined;
    if (signed !== undefined) {
      const secret = c.env.IDENTITY_SECRET;
      who = (secret && (await verifyIdentity(secret, signed, c.get("requestId")))) || undefined;
      if (!who) {
        // Only the gateway signs: anything else reaching a service with an identity is worth a look.
        log("warn", "unverifiable identity refused", { requestId: c.get("requestId"), path: c.req.path });
        throw new AppError(401, "invalid_identity", "The caller's identity could not be verified");
      }
    }
    c.set("identity", who);
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
