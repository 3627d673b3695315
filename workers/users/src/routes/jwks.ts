import { JwksSchema } from "@edge-shop/contracts";
import { openApi, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute } from "@hono/zod-openapi";
import { signingKeys } from "../tokens/signing-keys";

const { json } = openApi;

const jwksRoute = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  tags: ["Users"],
  summary: "Public keys that verify access tokens (every configured key, the signing one first)",
  responses: { 200: json(JwksSchema, "JSON Web Key Set") },
});

/** GET /.well-known/jwks.json */
export function jwksRoutes(app: ServiceApp<Env>): void {
  app.openapi(jwksRoute, async (c) => {
    const { jwks } = await signingKeys(c.env.JWT_PRIVATE_KEYS);
    // Short cache: a rotated key must reach verifiers quickly (the gateway also refetches on unknown kid).
    c.header("cache-control", "public, max-age=300");
    return c.json(jwks, 200);
  });
}
