import { MEDIA_KEY_PATTERN } from "@edge-shop/contracts";
import { AppError } from "@edge-shop/worker-kit";
import type { Context } from "hono";
import type { GatewayEnv } from "./gateway-env";

const IMMUTABLE = "public, max-age=31536000, immutable";
const PREFIX = "/media/";

// A content-addressed object never changes: an If-None-Match that names its ETag (or `*`) is answered 304.
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const weak = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || weak(tag) === weak(etag));
}

function answer(c: Context<GatewayEnv>, stored: Response, cache: "HIT" | "MISS"): Response {
  const headers = new Headers(stored.headers);
  headers.set("X-Cache", cache);
  const etag = headers.get("etag") ?? "";
  if (matches(c.req.header("if-none-match"), etag)) {
    headers.delete("content-length");
    headers.delete("content-type");
    return new Response(null, { status: 304, headers });
  }
  return new Response(stored.body, { status: 200, headers });
}

/**
 * GET /media/<key>: a product picture straight from R2, immutable, behind the Cache API so that a picture asked
 * for again is answered from the cache without touching R2 (`X-Cache: HIT`). Only keys of the stored shape are
 * looked up: anything else (`..`, encoded slashes, other names) is a 404, as is a key R2 does not have.
 */
export async function media(c: Context<GatewayEnv>): Promise<Response> {
  // The path as sent, never decoded: an encoded slash or dot is no part of any key.
  const url = new URL(c.req.url);
  const key = url.pathname.slice(PREFIX.length);
  const notFound = () => new AppError(404, "not_found", "No such media");
  if (!url.pathname.startsWith(PREFIX) || !MEDIA_KEY_PATTERN.test(key)) throw notFound();
  // One entry per object, whatever the query string or the request's headers.
  const cacheKey = `${url.origin}${PREFIX}${key}`;
  const cached = await caches.default.match(cacheKey);
  if (cached) return answer(c, cached, "HIT");
  const object = await c.env.MEDIA.get(key);
  if (!object) throw notFound();
  const headers = new Headers({
    "content-type": object.httpMetadata?.contentType ?? "application/octet-stream",
    "content-length": String(object.size),
    "cache-control": IMMUTABLE,
    etag: object.httpEtag,
  });
  const stored = new Response(object.body, { headers });
  // The copy for the cache is taken before the body is read; the put finishes after the response.
  c.executionCtx.waitUntil(caches.default.put(cacheKey, stored.clone()));
  return answer(c, stored, "MISS");
}
