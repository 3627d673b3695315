import { openApi } from "@edge-shop/worker-kit";
import { z } from "@hono/zod-openapi";

const { problem } = openApi;

/** The problem+json responses the product routes document. */
export const problems = {
  400: problem("Invalid request: `errors[]` lists each field"),
  401: problem("No authenticated caller"),
  403: problem("The caller is not an admin"),
  404: problem("No such (active) product"),
};

/** The `X-Cache` header of cached reads. */
export const xCache = z.object({
  "X-Cache": z
    .enum(["HIT", "MISS"])
    .openapi({ description: "`HIT` when served from the KV cache, `MISS` when read from D1" }),
});
