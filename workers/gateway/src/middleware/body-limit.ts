import { ImageLimits } from "@edge-shop/contracts";
import { AppError } from "@edge-shop/worker-kit";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { GatewayEnv } from "../gateway-env";

export const MAX_BODY_BYTES = 1024 * 1024;

// A picture upload is the only body allowed past 1 MiB: the image itself, up to 5 MiB.
const UPLOAD = /^\/api\/products\/[^/]+\/images$/;

function limit(maxSize: number): MiddlewareHandler<GatewayEnv> {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError(413, "payload_too_large", `The request body is larger than ${maxSize} bytes`);
    },
  });
}

/**
 * Refuses a body over its route's limit with a 413: a declared length at once, without reading the body; a body
 * without one (chunked) as soon as it passes the limit, so no more than the limit is ever held.
 */
export function bodyLimitByRoute(): MiddlewareHandler<GatewayEnv> {
  const general = limit(MAX_BODY_BYTES);
  const upload = limit(ImageLimits.bytes);
  return async function bodyLimitByRouteMiddleware(c, next) {
    const isUpload = c.req.method === "POST" && UPLOAD.test(c.req.path);
    return (isUpload ? upload : general)(c, next);
  };
}
