import type { ServiceName } from "./env";

export type Access = "public" | "user" | "admin";
export type RateLimitPolicyName = "default" | "auth";

export interface RouteRule {
  service: ServiceName;
  access: Access;
  rateLimit: RateLimitPolicyName;
}

interface Rule extends RouteRule {
  methods: string[] | "*";
  pattern: RegExp;
}

const ANY = "*";
const ID = "[^/]+";

// Order matters: the first match wins. Every public path of DESIGN.md is here; anything else is a 404.
const RULES: Rule[] = [
  {
    methods: ["POST"],
    pattern: /^\/api\/users\/(register|login|refresh)$/,
    service: "users",
    access: "public",
    rateLimit: "auth",
  },
  {
    methods: ["POST"],
    pattern: /^\/api\/users\/logout$/,
    service: "users",
    access: "user",
    rateLimit: "auth",
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
  return rule && { service: rule.service, access: rule.access, rateLimit: rule.rateLimit };
}
