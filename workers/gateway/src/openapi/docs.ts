import type { Context } from "hono";
import type { GatewayEnv } from "../gateway-env";

// Swagger UI's bundle and stylesheet are static assets of this origin (storefront/public/vendor, copied from the
// lockfile-pinned swagger-ui-dist by scripts/docs-assets.mjs), started by a same-origin script: no CDN, no inline
// script. Swagger UI sets inline styles, hence 'unsafe-inline' for styles only.
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>edge-shop API</title>
    <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
    <script src="/js/api-docs.js"></script>
  </body>
</html>
`;

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** GET /docs: the interactive reference (Swagger UI) for /openapi.json, entirely from this origin. */
export function apiReference(c: Context<GatewayEnv>): Response {
  return c.html(PAGE, 200, { "content-security-policy": CSP });
}
