import { Scalar } from "@scalar/hono-api-reference";
import type { Context } from "hono";
import type { GatewayEnv } from "../gateway-env";

const render = Scalar<GatewayEnv>({ url: "/openapi.json", pageTitle: "edge-shop API" });

// The page loads Scalar's script from its CDN; everything else (the document itself) is same-origin.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
  "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
  "font-src 'self' data: https://fonts.scalar.com",
  "img-src 'self' data: https:",
  "connect-src 'self'",
].join("; ");

/** GET /docs: Scalar's interactive reference for /openapi.json. */
export async function apiReference(c: Context<GatewayEnv>): Promise<Response> {
  const page = await render(c, async () => {});
  if (!(page instanceof Response)) throw new Error("the API reference did not render");
  const response = new Response(page.body, page);
  response.headers.set("content-security-policy", CSP);
  return response;
}
