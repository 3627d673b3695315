import { AppError, notFound, onError, requestId, requestLog } from "@edge-shop/worker-kit";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { GatewayEnv } from "./gateway-env";
import { health } from "./health";
import { authenticate } from "./middleware/authenticate";
import { corsFromEnv } from "./middleware/cors";
import { wellFormedJson } from "./middleware/json-body";
import { rateLimit } from "./middleware/rate-limit";
import { resolveRoute } from "./middleware/route";
import { apiReference } from "./openapi/docs";
import { openApiDocument } from "./openapi/route";
import { proxyToService } from "./proxy";

export const MAX_BODY_BYTES = 1024 * 1024;

/** The gateway: every request gets an id, CORS and secure headers; `/api/*` is limited, authenticated and forwarded. */
export const app = new Hono<GatewayEnv>()
  .use(requestId(), requestLog("gateway"), secureHeaders(), corsFromEnv())
  .use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new AppError(
          413,
          "payload_too_large",
          `The request body is larger than ${MAX_BODY_BYTES} bytes`,
        );
      },
    }),
  )
  .get("/health", health)
  .get("/openapi.json", openApiDocument)
  .get("/docs", apiReference)
  .use(resolveRoute(), async function requireKnownRoute(c, next) {
    if (!c.get("route")) throw new AppError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`);
    await next();
  })
  .use(rateLimit(), wellFormedJson(), authenticate())
  .all("*", proxyToService);

app.onError(onError("gateway"));
app.notFound(notFound());
