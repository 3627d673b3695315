import { templateOf } from "./route-templates";
import type { ServiceName } from "./services";

export type Access = "public" | "user" | "admin";
export type RateLimitPolicyName = "default" | "auth" | "refresh";

/** Who answers a route: a service over its binding, or the gateway itself (the admin fan-out routes). */
export type Upstream = ServiceName | "gateway";

export interface RouteRule {
  service: Upstream;
  access: Access;
  rateLimit: RateLimitPolicyName;
  /** The DESIGN path template the path matched, for logs and metrics (`/api/orders/:id`). */
  template: string;
}

interface Rule extends Omit<RouteRule, "template"> {
  methods: string[] | "*";
  pattern: RegExp;
}

const ANY = "*";
const ID = "[^/]+";

// Order matters: the first match wins. Every public path of DESIGN.md is here; anything else is a 404. No rule
// ever matches the services' internal routes (/internal/*): only the gateway's own admin handlers call those.
const RULES: Rule[] = [
  // The gateway's own public answers, counted like any other request (see app.ts).
  {
    methods: ["GET"],
    pattern: /^\/(health|openapi\.json)$/,
    service: "gateway",
    access: "public",
    rateLimit: "default",
  },
  {
    methods: ["GET"],
    pattern: /^\/api\/admin\/(status|dead-letters)$/,
    service: "gateway",
    access: "admin",
    rateLimit: "default",
  },
  {
    methods: ["POST"],
    pattern: new RegExp(`^/api/admin/dead-letters/${ID}/replay$`),
    service: "gateway",
    access: "admin",
    rateLimit: "default",
  },
  {
    methods: ["GET"],
    pattern: /^\/api\/admin\/users$/,
    service: "users",
    access: "admin",
    rateLimit: "default",
  },
  {
    methods: ["PATCH"],
    pattern: new RegExp(`^/api/admin/users/${ID}$`),
    service: "users",
    access: "admin",
    rateLimit: "default",
  },
  {
    methods: ["POST"],
    pattern: /^\/api\/users\/(register|login|password\/forgot|password\/reset|verify-email)$/,
    service: "users",
    access: "public",
    rateLimit: "auth",
  },
  // Its own window: others' logins from the same address never use up the refreshes that keep sessions alive.
  {
    methods: ["POST"],
    pattern: /^\/api\/users\/refresh$/,
    service: "users",
    access: "public",
    rateLimit: "refresh",
  },
  {
    methods: ["GET"],
    pattern: /^\/api\/users\/profile\/export$/,
    service: "gateway",
    access: "user",
    rateLimit: "default",
  },
  { methods: ANY, pattern: /^\/api\/users(\/.*)?$/, service: "users", access: "user", rateLimit: "default" },
  {
    methods: ["GET"],
    pattern: /^\/\.well-known\/jwks\.json$/,
    service: "users",
    access: "public",
    rateLimit: "default",
  },
  {
    methods: ["GET"],
    pattern: /^\/api\/(products|categories)(\/.*)?$/,
    service: "products",
    access: "public",
    rateLimit: "default",
  },
  {
    methods: ANY,
    pattern: /^\/api\/products(\/.*)?$/,
    service: "products",
    access: "admin",
    rateLimit: "default",
  },
  { methods: ["GET"], pattern: /^\/api\/cart$/, service: "carts", access: "user", rateLimit: "default" },
  {
    methods: ["POST"],
    pattern: new RegExp(`^/api/carts/${ID}/claim$`),
    service: "carts",
    access: "user",
    rateLimit: "default",
  },
  // A guest cart needs no token (its id is the key); a user's cart answers only its owner (carts checks).
  {
    methods: ANY,
    pattern: /^\/api\/carts(\/.*)?$/,
    service: "carts",
    access: "public",
    rateLimit: "default",
  },
  // Money at checkout (orders): quotes anyone may ask for, and the promotion codes' admin.
  {
    methods: ["GET"],
    pattern: new RegExp(`^/api/(shipping-options|promotions/${ID})$`),
    service: "orders",
    access: "public",
    rateLimit: "default",
  },
  {
    methods: ["GET", "POST", "PATCH"],
    pattern: new RegExp(`^/api/admin/promotions(/${ID})?$`),
    service: "orders",
    access: "admin",
    rateLimit: "default",
  },
  // Refunds are the payments service's: it owns what was captured and never refunds more.
  {
    methods: ["GET", "POST"],
    pattern: new RegExp(`^/api/orders/${ID}/refunds$`),
    service: "payments",
    access: "admin",
    rateLimit: "default",
  },
  {
    methods: ["PATCH"],
    pattern: new RegExp(`^/api/orders/${ID}/status$`),
    service: "orders",
    access: "admin",
    rateLimit: "default",
  },
  {
    methods: ANY,
    pattern: /^\/api\/orders(\/.*)?$/,
    service: "orders",
    access: "user",
    rateLimit: "default",
  },
  {
    methods: ["POST"],
    pattern: /^\/api\/payments\/webhook$/,
    service: "payments",
    access: "public",
    rateLimit: "default",
  },
  // The payment simulator's card authentication page and its forms: a browser navigation, no token (payments
  // answers 404 unless the simulator is the provider).
  {
    methods: ["GET"],
    pattern: new RegExp(`^/api/payments/simulator/3ds/${ID}$`),
    service: "payments",
    access: "public",
    rateLimit: "default",
  },
  {
    methods: ["POST"],
    pattern: new RegExp(`^/api/payments/simulator/3ds/${ID}/(complete|fail)$`),
    service: "payments",
    access: "public",
    rateLimit: "default",
  },
  {
    methods: ANY,
    pattern: /^\/api\/payments(\/.*)?$/,
    service: "payments",
    access: "user",
    rateLimit: "default",
  },
  {
    methods: ANY,
    pattern: /^\/api\/notifications(\/.*)?$/,
    service: "notifications",
    access: "user",
    rateLimit: "default",
  },
];

/** The service, access level and rate-limit policy of a public path, or undefined when no service owns it. */
export function matchRoute(method: string, path: string): RouteRule | undefined {
  const rule = RULES.find(
    (r) =>
      (r.methods === ANY || r.methods.includes(method === "HEAD" ? "GET" : method)) && r.pattern.test(path),
  );
  return (
    rule && {
      service: rule.service,
      access: rule.access,
      rateLimit: rule.rateLimit,
      template: templateOf(path),
    }
  );
}
