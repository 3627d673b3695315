// What the gateway does to every operation it forwards, described once: request ids, rate limits, edge auth,
// and the errors it can answer before (or instead of) the service.
import type { Access, RateLimitPolicyName } from "../routes";

export type Json = Record<string, unknown>;
export type Operation = Json & { responses?: Json; security?: unknown[]; parameters?: unknown[] };

const problem = (description: string, headers?: Json) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

const REQUEST_ID_HEADER: Json = { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } };
const RATE_LIMIT_HEADERS: Json = {
  RateLimit: { $ref: "#/components/headers/RateLimit" },
  "RateLimit-Policy": { $ref: "#/components/headers/RateLimit-Policy" },
};

/** Components every gateway addition refers to. */
export const GATEWAY_COMPONENTS = {
  headers: {
    "X-Request-Id": {
      description:
        "The request id: yours when well-formed (1–128 of A–Z a–z 0–9 . _ : -), otherwise generated.",
      schema: { type: "string" },
    },
    RateLimit: {
      description: 'Remaining quota and seconds until reset, e.g. `"default";r=998;t=420`.',
      schema: { type: "string" },
    },
    "RateLimit-Policy": {
      description:
        'The policy applied, e.g. `"default";q=1000;w=900`, `"auth";q=10;w=60` (register, login) or `"refresh";q=30;w=60`.',
      schema: { type: "string" },
    },
    "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } },
    "Idempotent-Replayed": {
      description:
        "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
      schema: { type: "string", enum: ["true"] },
    },
    "WWW-Authenticate": {
      description: 'The bearer challenge, e.g. `Bearer error="invalid_token"`.',
      schema: { type: "string" },
    },
  },
  parameters: {
    "X-Request-Id": {
      name: "X-Request-Id",
      in: "header",
      required: false,
      description: "Your request id, echoed and passed to every service.",
      schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,128}$" },
    },
  },
};

const BEARER = [{ bearerAuth: [] }];

const tooManyRequests = (policy: RateLimitPolicyName) =>
  problem(`Too many requests from this client address (rate-limit policy "${policy}")`, {
    "Retry-After": { $ref: "#/components/headers/Retry-After" },
  });

function withHeaders(responses: Json, headers: Json): Json {
  const out: Json = {};
  for (const [status, response] of Object.entries(responses)) {
    const r = response as Json;
    out[status] =
      r && typeof r === "object" && !("$ref" in r)
        ? { ...r, headers: { ...headers, ...((r.headers as Json | undefined) ?? {}) } }
        : r;
  }
  return out;
}

function takesIdempotencyKey(operation: Operation): boolean {
  return (operation.parameters ?? []).some((p) => {
    const parameter = p as Json;
    return parameter.in === "header" && String(parameter.name).toLowerCase() === "idempotency-key";
  });
}

// The service's own final answers (< 500) are stored per key and replayed with `Idempotent-Replayed: true`.
function withReplayHeader(responses: Json): Json {
  const replay = { "Idempotent-Replayed": { $ref: "#/components/headers/Idempotent-Replayed" } };
  const out: Json = {};
  for (const [status, response] of Object.entries(responses)) {
    out[status] = Number(status) < 500 ? withHeaders({ [status]: response }, replay)[status] : response;
  }
  return out;
}

function withRequestIdParameter(operation: Operation): unknown[] {
  return [...(operation.parameters ?? []), { $ref: "#/components/parameters/X-Request-Id" }];
}

/** A forwarded operation as the client sees it through the gateway (route access and policy from routes.ts). */
export function forwardedOperation(
  operation: Operation,
  route: { access: Access; rateLimit: RateLimitPolicyName },
): Operation {
  const own = operation.responses ?? {};
  const responses: Json = takesIdempotencyKey(operation) ? withReplayHeader(own) : { ...own };
  const secured = route.access !== "public" || (operation.security?.length ?? 0) > 0;
  // A body that is not well-formed JSON is refused at the edge.
  if (operation.requestBody) responses["400"] ??= problem("Invalid request (errors[]) or malformed JSON");
  // A token is verified whenever one is sent, so even a public operation can answer 401.
  responses["401"] ??= problem(
    secured
      ? "Missing, invalid or expired access token"
      : "An Authorization header was sent with an invalid or expired token",
  );
  if (route.access === "admin") responses["403"] ??= problem("Admin role required");
  responses["413"] ??= problem("The request body is larger than 1 MiB");
  responses["429"] ??= tooManyRequests(route.rateLimit);
  responses["500"] ??= problem("Unexpected error (the body discloses no detail)");
  responses["502"] ??= problem("The service failed");
  responses["503"] ??= problem("Access tokens cannot be verified right now (only when a token is sent)");
  responses["504"] ??= problem("The service did not answer in time");
  const final = withHeaders(responses, { ...REQUEST_ID_HEADER, ...RATE_LIMIT_HEADERS });
  const unauthorized = final["401"] as Json;
  final["401"] = {
    ...unauthorized,
    headers: {
      ...(unauthorized.headers as Json),
      "Idempotent-Replayed": {
        description:
          "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
        schema: { type: "string", enum: ["true"] },
      },
      "WWW-Authenticate": { $ref: "#/components/headers/WWW-Authenticate" },
    },
  };
  return {
    ...operation,
    // `security: []` marks an operation public explicitly; the gateway's rule decides, as it enforces it.
    security: secured ? (operation.security?.length ? operation.security : BEARER) : [],
    parameters: withRequestIdParameter(operation),
    responses: final,
  };
}

/**
 * One of the gateway's own public operations (/health): no token, answered by the gateway itself, counted by
 * the rate-limit policy it names (if any).
 */
export function ownOperation(operation: Operation, rateLimit?: RateLimitPolicyName): Operation {
  const responses: Json = { ...(operation.responses ?? {}) };
  if (rateLimit) responses["429"] ??= tooManyRequests(rateLimit);
  return {
    ...operation,
    security: operation.security ?? [],
    parameters: withRequestIdParameter(operation),
    responses: withHeaders(
      responses,
      rateLimit ? { ...REQUEST_ID_HEADER, ...RATE_LIMIT_HEADERS } : REQUEST_ID_HEADER,
    ),
  };
}

/** A stable operationId from method and path when the service gave none, e.g. `postOrdersByIdCancel`. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\//, "/")
    .split(/[/._-]+/)
    .filter(Boolean)
    .map((part) => {
      const param = /^\{(.+)\}$/.exec(part);
      const word = param ? `by-${param[1]}` : part;
      return word.replace(/(^|-)([a-z0-9])/gi, (_, _dash, c: string) => c.toUpperCase());
    });
  return `${method.toLowerCase()}${words.join("")}`;
}
