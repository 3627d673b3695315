import type { Identity } from "@edge-shop/contracts";
import { AppError, errors } from "@edge-shop/worker-kit";
import type { MiddlewareHandler } from "hono";
import { errors as joseErrors } from "jose";
import { InvalidTokenError, verifyAccessToken } from "../auth/verify-token";
import type { GatewayEnv } from "../gateway-env";

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer ([A-Za-z0-9_.~+/=-]+)$/i.exec(header.trim()) : null;
  return match?.[1];
}

/**
 * Verifies the bearer token when one is sent (a bad token is a 401 on every route, never silently ignored),
 * then enforces the route's access level before any service is called.
 */
export function authenticate(): MiddlewareHandler<GatewayEnv> {
  return async function authenticateMiddleware(c, next) {
    const header = c.req.header("authorization");
    let identity: Identity | undefined;
    if (header !== undefined) {
      const token = bearerToken(header);
      if (!token) throw errors.unauthorized("Authorization must be a Bearer token");
      try {
        identity = await verifyAccessToken(token, {
          users: c.env.USERS,
          issuer: c.env.JWT_ISSUER,
          audience: c.env.JWT_AUDIENCE,
        });
      } catch (error) {
        if (error instanceof joseErrors.JOSEError || error instanceof InvalidTokenError) {
          throw new AppError(401, "invalid_token", "The access token is invalid or expired", {
            headers: { "www-authenticate": 'Bearer error="invalid_token"' },
          });
        }
        throw new AppError(503, "auth_unavailable", "Cannot verify tokens right now", { cause: error });
      }
    }
    c.set("identity", identity);
    const access = c.get("route")?.access ?? "public";
    if (access !== "public" && !identity) {
      throw new AppError(401, "unauthorized", "Authentication required", {
        headers: { "www-authenticate": "Bearer" },
      });
    }
    if (access === "admin" && identity?.role !== "admin") throw errors.forbidden("Admin role required");
    await next();
  };
}
