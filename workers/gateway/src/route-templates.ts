// The path templates of DESIGN.md, for logs and metrics: `/api/orders/:id` rather than one line per order id,
// and never the raw path (it could carry an id or a token someone pasted into a URL).

const TEMPLATES = [
  "/health",
  "/openapi.json",
  "/api/users/register",
  "/api/users/login",
  "/api/users/refresh",
  "/api/users/logout",
  "/api/users/profile",
  "/api/users/profile/export",
  "/api/users/verify-email",
  "/api/users/verify-email/request",
  "/api/users/password/forgot",
  "/api/users/password/reset",
  "/api/users/email",
  "/.well-known/jwks.json",
  "/api/products",
  "/api/products/:id",
  "/api/products/:id/images",
  "/api/products/:id/images/:n",
  "/api/categories",
  "/api/cart",
  "/api/carts",
  "/api/carts/:id",
  "/api/carts/:id/items",
  "/api/carts/:id/items/:productId",
  "/api/carts/:id/claim",
  "/api/orders",
  "/api/orders/:id",
  "/api/orders/:id/cancel",
  "/api/orders/:id/status",
  "/api/shipping-options",
  "/api/promotions/:code",
  "/api/admin/promotions",
  "/api/admin/promotions/:code",
  "/api/orders/:id/refunds",
  "/api/payments",
  "/api/payments/webhook",
  "/api/payments/simulator/3ds/:id",
  "/api/payments/simulator/3ds/:id/:outcome",
  "/api/notifications",
  "/api/notifications/preferences",
  "/api/admin/status",
  "/api/admin/dead-letters",
  "/api/admin/dead-letters/:id/replay",
  "/media/:key",
  "/api/admin/users",
  "/api/admin/users/:id",
];

const COMPILED = TEMPLATES.map((template) => ({
  template,
  pattern: new RegExp(`^${template.replaceAll(".", "\\.").replace(/:[A-Za-z]+/g, "[^/]+")}$`),
}));

/**
 * The template a path matches, e.g. `/api/orders/:id/cancel`; a path no template covers (a service will 404
 * it) is reduced to its first two segments and `/*`, so logs and metrics stay low-cardinality.
 */
export function templateOf(path: string): string {
  const known = COMPILED.find((c) => c.pattern.test(path));
  if (known) return known.template;
  return `/${path.split("/").filter(Boolean).slice(0, 2).join("/")}/*`;
}
