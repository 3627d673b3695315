import { errorFields, log } from "@edge-shop/worker-kit";
import type { Context } from "hono";
import type { GatewayEnv } from "../gateway-env";
import { isolateCache } from "../isolate-cache";
import { withTimeout } from "../proxy";
import { SERVICES, type ServiceName, serviceFetcher } from "../services";
import { gatewayDocument } from "./gateway-document";
import { mergeDocuments } from "./merge";

// The merged document, serialised once per origin and minute in this isolate. A partial one (a service did not
// answer) is served but not kept, so the next request asks the missing service again.
const cache = isolateCache<{ text: string; complete: boolean }>(60_000, (document) => document.complete);

async function serviceDocument(c: Context<GatewayEnv>, service: ServiceName) {
  try {
    const response = await withTimeout(
      serviceFetcher(c.env, service).fetch("https://internal/openapi.json"),
      Number(c.env.HEALTH_TIMEOUT_MS),
    );
    if (!response.ok) throw new Error(`status ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  } catch (error) {
    log("warn", "openapi document unavailable", { service, ...errorFields(error) });
    return undefined;
  }
}

async function mergedDocument(c: Context<GatewayEnv>, origin: string) {
  const documents = await Promise.all(SERVICES.map((s) => serviceDocument(c, s)));
  const document = mergeDocuments(
    gatewayDocument(origin) as unknown as Record<string, unknown>,
    documents.filter((d) => d !== undefined),
  );
  return { text: JSON.stringify(document), complete: documents.every((d) => d !== undefined) };
}

/** GET /openapi.json: every service's document merged, as the client sees the paths (through the gateway). */
export async function openApiDocument(c: Context<GatewayEnv>): Promise<Response> {
  const origin = new URL(c.req.url).origin;
  const { text } = await cache.get(origin, () => mergedDocument(c, origin));
  return c.body(text, 200, { "content-type": "application/json" });
}
