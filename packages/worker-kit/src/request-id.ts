import { Headers } from "@edge-shop/contracts";
import type { MiddlewareHandler } from "hono";

const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** A client-supplied request id is kept only when it is short and plain; anything else is replaced. */
export function wellFormedRequestId(value: string | undefined | null): string | undefined {
  return value && WELL_FORMED.test(value) ? value : undefined;
}

/** Sets `c.var.requestId` from `X-Request-Id` (or a new UUID) and echoes it on the response. */
export function requestId(): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async function requestIdMiddleware(c, next) {
    const id = wellFormedRequestId(c.req.header(Headers.requestId)) ?? crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.res.headers.set(Headers.requestId, id);
  };
}
