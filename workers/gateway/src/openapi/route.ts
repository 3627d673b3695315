import { errorFields, log } from "@edge-shop/worker-kit";
import type { Context } from "hono";
import type { GatewayEnv } from "../gateway-env";
import { withTimeout } from "../proxy";
import { SERVICES, type ServiceName, serviceFetcher } from "../services";
import { gatewayDocument } from "./gateway-document";
import { mergeDocuments } from "./merge";

const CACHE_MS = 60_000;
let cached: { origin: string; at: number; document: Record<string, unknown> } | undefined;

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

/** GET /openapi.json: every service's document merged, as the client sees the paths (through the gateway). */
export async function openApiDocument(c: Context<GatewayEnv>): Promise<Response> {
  const origin = new URL(c.req.url).origin;
  if (!cached || cached.origin !== origin || Date.now() - cached.at > CACHE_MS) {
    const documents = await Promise.all(SERVICES.map((s) => serviceDocument(c, s)));
    const complete = documents.every((d) => d !== undefined);
    const document = mergeDocuments(
      gatewayDocument(origin) as unknown as Record<string, unknown>,
      documents.filter((d) => d !== undefined),
    );
    // A partial document is served but not cached, so the next request tries the missing service again.
    if (complete) cached = { origin, at: Date.now(), document };
    return c.json(document);
  }
  return c.json(cached.document);
}
