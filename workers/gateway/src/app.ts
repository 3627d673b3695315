import { AppError, notFound, onError, requestId, requestLog } from "@edge-shop/worker-kit";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { exportAccount } from "./account/export";
import { listDeadLetters, replayDeadLetter } from "./admin/dead-letters";
import { adminStatus } from "./admin/status";
import type { GatewayEnv } from "./gateway-env";
import { health } from "./health";
import { media } from "./media";
import { authenticate } from "./middleware/authenticate";
import { bodyLimitByRoute } from "./middleware/body-limit";
import { corsFromEnv } from "./middleware/cors";
import { wellFormedJson } from "./middleware/json-body";
import { rateLimit } from "./middleware/rate-limit";
import { resolveRoute } from "./middleware/route";
import { apiReference } from "./openapi/docs";
import { openApiDocument } from "./openapi/route";
import { proxyToService } from "./proxy";

// Logs and metrics name the DESIGN path template and the service that answered, not the catch-all "/*".
const gatewayLog = requestLog<GatewayEnv>("gateway", {
  route: (c) => c.get("route")?.template,
  fields: (c) => ({ upstream: c.get("route")?.service }),
});

/**
 * The gateway: every request gets an id, CORS and secure headers; `/health`, `/openapi.json` and `/api/*` are
 * limited; `/api/*` is authenticated and forwarded, except the admin routes and the data export, which it
 * answers itself by asking every service over its binding.
 */
export const app = new Hono<GatewayEnv>()
  .use(requestId(), gatewayLog, secureHeaders(), corsFromEnv())
  .use(bodyLimitByRoute())
  // Public pictures: straight from the edge cache or R2, before route resolution and the rate limiter.
  .get("/media/*", media)
  .get("/docs", apiReference)
  .use(resolveRoute(), async function requireKnownRoute(c, next) {
    if (!c.get("route")) throw new AppError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`);
    await next();
  })
  .use(rateLimit())
  // Counted by the default limit, answered without a token check (from a short per-isolate cache).
  .get("/health", health)
  .get("/openapi.json", openApiDocument)
  .use(wellFormedJson(), authenticate())
  .get("/api/admin/status", adminStatus)
  .get("/api/admin/dead-letters", listDeadLetters)
  .post("/api/admin/dead-letters/:id/replay", replayDeadLetter)
  .get("/api/users/profile/export", exportAccount)
  .all("*", proxyToService);

app.onError(onError("gateway"));
app.notFound(notFound());
