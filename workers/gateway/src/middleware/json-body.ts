import { AppError } from "@edge-shop/worker-kit";
import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../gateway-env";

/** Refuses a JSON body that does not parse, so services only ever see well-formed JSON. */
export function wellFormedJson(): MiddlewareHandler<GatewayEnv> {
  return async function wellFormedJsonMiddleware(c, next) {
    const type = c.req.header("content-type") ?? "";
    if (/^application\/([a-z.+-]*\+)?json/i.test(type)) {
      const text = await c.req.raw.clone().text();
      if (text.length > 0) {
        try {
          JSON.parse(text);
        } catch {
          throw new AppError(400, "malformed_json", "The request body is not valid JSON");
        }
      }
    }
    await next();
  };
}
