import { AppError, notFound, onError, requestId, requestLog } from "@edge-shop/worker-kit";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { exportAccount } from "./account/export";
import { listDeadLetters, replayDeadLetter } from "./admin/dead-letters";
import { adminStatus } from "./admin/status";
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

// Logs and metrics name the DESIGN path template and the service that answered, not the catch-all "/*".
const gatewayLog = requestLog<GatewayEnv>("gateway", {
  route: (c) => c.get("route")?.template,
  fields: (c) => ({ upstream: c.get("route")?.service }),
});

/**
 * The gateway: every request gets an id, CORS and secure headers; `/api/*` is limited, authenticated and
 * forwarded, except the admin routes and the data export, which it answers itself by asking every service over
 * its binding.
 */
export const app = new Hono<GatewayEnv>()
  .use(requestId(), gatewayLog, secureHeaders(), corsFromEnv())
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
  .get("/api/admin/status", adminStatus)
  .get("/api/admin/dead-letters", listDeadLetters)
  .post("/api/admin/dead-letters/:id/replay", replayDeadLetter)
  .get("/api/users/profile/export", exportAccount)
  .all("*", proxyToService);

app.onError(onError("gateway"));
app.notFound(notFound());
