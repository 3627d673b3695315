import { ProblemSchema, SERVICES } from "@edge-shop/contracts";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { describeAccountRoutes } from "./account-document";
import { describeAdminRoutes } from "./admin-document";

const ServiceStatus = z.enum(["OK", "DOWN"]);
const HealthSchema = z
  .object({
    status: z.enum(["OK", "DEGRADED"]),
    services: z.object(Object.fromEntries(SERVICES.map((name) => [name, ServiceStatus]))),
  })
  .openapi("Health");

const MEDIA_HEADERS = z.object({
  "Cache-Control": z.string().openapi({ example: "public, max-age=31536000, immutable" }),
  ETag: z.string(),
  "X-Cache": z.enum(["HIT", "MISS"]).openapi({ description: "`HIT` when answered from the edge cache" }),
});

// Described, not served, here: the gateway's real handlers are plain Hono (see app.ts).
const described = new OpenAPIHono();
described.openapi(
  createRoute({
    method: "get",
    path: "/health",
    summary: "Health of the gateway and every service",
    tags: ["Gateway"],
    responses: {
      200: {
        description: "Every service answered",
        content: { "application/json": { schema: HealthSchema } },
      },
      503: { description: "A service is down", content: { "application/json": { schema: HealthSchema } } },
      500: {
        description: "Unexpected error",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    },
  }),
  (c) => c.json({ status: "OK" as const, services: {} as z.infer<typeof HealthSchema>["services"] }, 200),
);

described.openapi(
  createRoute({
    method: "get",
    path: "/media/{key}",
    summary: "A stored product picture (an original or a WebP variant), immutable",
    description: [
      "Straight from R2 behind the edge cache (`X-Cache: HIT` when R2 was not asked). `key` is",
      "`<sha256>.<jpg|png|webp>` (an original, as `product.images` lists it) or `<sha256>-<320|960>.webp` (a",
      "variant); anything else is a 404. `If-None-Match` with the `ETag` answers 304. Not rate limited.",
    ].join(" "),
    tags: ["Gateway"],
    request: {
      params: z.object({
        key: z
          .string()
          .openapi({ param: { name: "key", in: "path" }, example: `${"0".repeat(64)}-320.webp` }),
      }),
    },
    responses: {
      200: {
        description: "The picture",
        headers: MEDIA_HEADERS,
        content: Object.fromEntries(
          ["image/jpeg", "image/png", "image/webp"].map((type) => [
            type,
            { schema: z.string().openapi({ format: "binary" }) },
          ]),
        ),
      },
      304: { description: "Not modified: the `If-None-Match` named this `ETag`", headers: MEDIA_HEADERS },
      404: {
        description: "No such picture",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    },
  }),
  (c) => c.body(null, 304),
);

describeAdminRoutes(described);
describeAccountRoutes(described);

const DESCRIPTION = [
  "The shop's public API, through the gateway. Money is an integer in minor units with a `currency`; ids are",
  "opaque strings; lists are `{ <items>, pagination }` with `limit` at most 100. Errors are RFC 9457",
  "`application/problem+json` with a stable `code` and the `requestId`; validation errors (400) list",
  "`errors[{ path, message }]`. Operations with a lock need `Authorization: Bearer <access token>`; a token",
  "sent to a public operation is verified too. Every `/api` request, `/health` and `/openapi.json` are rate",
  "limited per client address (an IPv4 address, or an IPv6 /64) with `RateLimit` / `RateLimit-Policy` on every",
  "answer and 429 with `Retry-After` when over: `default` 1000 per 15 minutes; register, login, the password",
  "reset and the email verification share the tighter `auth` (10 a minute); refresh has its own `refresh`",
  "window (30 a minute), so others' logins from the same address never end a session.",
].join(" ");

const TAGS = [
  { name: "Users", description: "Accounts, sessions (access and refresh tokens) and the token keys" },
  { name: "Products", description: "The catalog: public reads, admin writes" },
  { name: "Carts", description: "Guest and customer carts, priced at the catalog's current prices" },
  { name: "Orders", description: "Placing, reading, cancelling and fulfilling orders" },
  { name: "Payments", description: "Paying orders, and the payment provider's webhook" },
  { name: "Notifications", description: "The caller's email and SMS notifications, and preferences" },
  { name: "Gateway", description: "The gateway's own endpoints" },
  {
    name: "Admin",
    description: "Operations: every service's status, the dead letters of the queues, and the accounts",
  },
];

/** The gateway's own part of the public document: its info, servers, security scheme and `/health`. */
export function gatewayDocument(origin: string) {
  described.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Access token from POST /api/users/login, /register or /refresh (EdDSA JWT, 15 minutes).",
  });
  return described.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "edge-shop API",
      version: "1.0.0",
      description: DESCRIPTION,
      license: { name: "MIT", url: "https://opensource.org/licenses/MIT" },
    },
    servers: [{ url: origin, description: "This gateway" }],
    tags: TAGS,
  });
}
