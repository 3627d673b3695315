import { z } from "@hono/zod-openapi";
import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import { etagOf } from "../routes/preconditions";
import type { CachedBody } from "./catalog-cache";

/** The `X-Cache` header of cached reads, as their routes document it. */
export const xCache = z.object({
  "X-Cache": z
    .enum(["HIT", "MISS"])
    .openapi({ description: "`HIT` when served from the KV cache, `MISS` when read from D1" }),
});

/**
 * Answers 200 with JSON that is already serialised (a cached entry's bytes, or the text just stored), without
 * parsing it again, typed as the route's JSON response of `T` for `app.openapi`.
 */
export function cachedJson<T>(
  c: Context,
  cached: CachedBody,
): Response & TypedResponse<JSONParsed<T>, 200, "json"> {
  const response = c.newResponse(cached.body, 200, {
    "content-type": "application/json",
    "X-Cache": cached.status,
    ...(cached.version !== undefined ? { ETag: etagOf(cached.version) } : {}),
  });
  // The text is JSON.stringify of a T (stored by `cached`), which is what c.json would have sent.
  return response as Response & TypedResponse<JSONParsed<T>, 200, "json">;
}
