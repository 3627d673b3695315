// Merges the services' OpenAPI documents into the one the gateway serves, and adds what the gateway itself
// does to every operation: request ids, rate limits, and the errors it can answer before a service is called.

type Json = Record<string, unknown>;
type Operation = Json & { responses?: Json; security?: unknown[] };

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const problem = (description: string, headers?: Json) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

const GATEWAY_HEADERS: Json = {
  "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" },
  RateLimit: { $ref: "#/components/headers/RateLimit" },
  "RateLimit-Policy": { $ref: "#/components/headers/RateLimit-Policy" },
};

const GATEWAY_COMPONENTS = {
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
      description: 'The policy applied, e.g. `"default";q=1000;w=900` or `"auth";q=10;w=60`.',
      schema: { type: "string" },
    },
    "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } },
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

function withGatewayBehaviour(operation: Operation): Operation {
  const responses: Json = { ...(operation.responses ?? {}) };
  for (const [status, response] of Object.entries(responses)) {
    if (response && typeof response === "object" && !("$ref" in response)) {
      const r = response as Json;
      responses[status] = {
        ...r,
        headers: { ...GATEWAY_HEADERS, ...((r.headers as Json | undefined) ?? {}) },
      };
    }
  }
  responses["429"] ??= problem("Too many requests from this IP", {
    ...GATEWAY_HEADERS,
    "Retry-After": { $ref: "#/components/headers/Retry-After" },
  });
  responses["413"] ??= problem("The request body is larger than 1 MiB");
  responses["502"] ??= problem("The service failed");
  responses["504"] ??= problem("The service did not answer in time");
  if (operation.security && operation.security.length > 0) {
    responses["401"] ??= problem("Missing, invalid or expired access token");
  }
  const parameters = [...((operation.parameters as unknown[] | undefined) ?? [])];
  parameters.push({ $ref: "#/components/parameters/X-Request-Id" });
  return { ...operation, parameters, responses };
}

function mergeInto(target: Json, source: Json | undefined): void {
  for (const [key, value] of Object.entries(source ?? {})) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      target[key] = { ...((target[key] as Json | undefined) ?? {}), ...(value as Json) };
    } else {
      target[key] = value;
    }
  }
}

/** One OpenAPI 3.1 document: the services' paths (already the public ones) plus the gateway's own. */
export function mergeDocuments(gateway: Json, services: Json[]): Json {
  const paths: Json = { ...((gateway.paths as Json | undefined) ?? {}) };
  const components: Json = {};
  mergeInto(components, GATEWAY_COMPONENTS);
  mergeInto(components, gateway.components as Json | undefined);
  for (const doc of services) {
    mergeInto(components, doc.components as Json | undefined);
    for (const [path, item] of Object.entries((doc.paths as Json | undefined) ?? {})) {
      // Internal plumbing of each service is not part of the public API.
      if (path === "/health" || path === "/openapi.json") continue;
      paths[path] = { ...((paths[path] as Json | undefined) ?? {}), ...(item as Json) };
    }
  }
  for (const [path, item] of Object.entries(paths)) {
    const methods = item as Json;
    for (const method of METHODS) {
      const operation = methods[method] as Operation | undefined;
      if (operation) methods[method] = withGatewayBehaviour(operation);
    }
    paths[path] = methods;
  }
  return { ...gateway, paths: sortKeys(paths), components };
}

function sortKeys(object: Json): Json {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}
