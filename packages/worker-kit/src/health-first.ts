import { Headers } from "@edge-shop/contracts";
import { wellFormedRequestId } from "./request-id";

type FetchHandler<Env> = (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;

/** The path of an absolute request URL, without its query ("http://h/a?b" → "/a"). */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const query = url.indexOf("?", start);
  return query < 0 ? url.slice(start) : url.slice(start, query);
}

/**
 * A service's fetch handler that answers `GET /health` itself (as the app's route would) and hands every other
 * request to the app, so a probe skips the app's middlewares. See docs/architecture.md, "Gateway".
 */
export function answerHealthFirst<Env>(service: string, appFetch: FetchHandler<Env>): FetchHandler<Env> {
  const body = JSON.stringify({ status: "OK", service });
  return (request, env, ctx) => {
    if (request.method !== "GET" || pathOf(request.url) !== "/health") return appFetch(request, env, ctx);
    const id = wellFormedRequestId(request.headers.get(Headers.requestId)) ?? crypto.randomUUID();
    return new Response(body, { headers: { "content-type": "application/json", [Headers.requestId]: id } });
  };
}
