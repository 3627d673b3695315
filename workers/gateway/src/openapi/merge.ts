// Merges the services' OpenAPI documents into the one the gateway serves, and adds what the gateway itself
// does to every operation (see gateway-behaviour.ts).
import { matchRoute } from "../routes";
import {
  forwardedOperation,
  GATEWAY_COMPONENTS,
  type Json,
  type Operation,
  operationIdOf,
  ownOperation,
} from "./gateway-behaviour";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

// Internal plumbing of each service is not part of the public API.
const INTERNAL_PATHS = new Set(["/health", "/openapi.json"]);

function mergeInto(target: Json, source: Json | undefined): void {
  for (const [key, value] of Object.entries(source ?? {})) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      target[key] = { ...((target[key] as Json | undefined) ?? {}), ...(value as Json) };
    } else {
      target[key] = value;
    }
  }
}

/** A concrete path that the template's route rule matches: `{id}` stands for any one segment. */
function samplePath(template: string): string {
  return template.replace(/\{[^}]+\}/g, "x");
}

function mapOperations(item: Json, map: (method: string, op: Operation) => Operation | undefined): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(item)) {
    if (!METHODS.includes(key)) {
      out[key] = value;
      continue;
    }
    const mapped = map(key, value as Operation);
    if (mapped) out[key] = mapped;
  }
  return out;
}

/** One OpenAPI 3.1 document: the services' paths (already the public ones) plus the gateway's own. */
export function mergeDocuments(gateway: Json, services: Json[]): Json {
  const paths: Json = {};
  for (const [path, item] of Object.entries((gateway.paths as Json | undefined) ?? {})) {
    paths[path] = mapOperations(item as Json, (method, op) => {
      // The admin routes pass the rate limit and edge auth like forwarded ones; /health only the rate limit.
      const route = matchRoute(method.toUpperCase(), samplePath(path));
      const own = !route || (route.service === "gateway" && route.access === "public");
      return {
        operationId: operationIdOf(method, path),
        ...(own || !route ? ownOperation(op, route?.rateLimit) : forwardedOperation(op, route)),
      };
    });
  }
  const components: Json = {};
  mergeInto(components, GATEWAY_COMPONENTS);
  mergeInto(components, gateway.components as Json | undefined);
  for (const doc of services) {
    mergeInto(components, doc.components as Json | undefined);
    for (const [path, item] of Object.entries((doc.paths as Json | undefined) ?? {})) {
      if (INTERNAL_PATHS.has(path)) continue;
      const forwarded = mapOperations(item as Json, (method, op) => {
        const route = matchRoute(method.toUpperCase(), samplePath(path));
        // An operation no gateway rule forwards is unreachable for clients: it is not theirs to see.
        if (!route) return undefined;
        return { operationId: operationIdOf(method, path), ...forwardedOperation(op, route) };
      });
      if (!Object.keys(forwarded).some((key) => METHODS.includes(key))) continue;
      paths[path] = { ...((paths[path] as Json | undefined) ?? {}), ...forwarded };
    }
  }
  return { ...gateway, paths: sortKeys(paths), components };
}

function sortKeys(object: Json): Json {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}
