import { PageQuerySchema, pagination } from "@edge-shop/contracts";
import {
  type DeadLetterView,
  errorFields,
  errors,
  log,
  MAX_DEAD_LETTER_WINDOW,
  validationError,
} from "@edge-shop/worker-kit";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { GatewayEnv } from "../gateway-env";
import { callInternal, DEAD_LETTER_SERVICES, type DeadLetterService, jsonOf } from "./internal-call";

const ListQuerySchema = PageQuerySchema.extend({ service: z.enum(DEAD_LETTER_SERVICES).optional() }).refine(
  (q) => q.page * q.limit <= MAX_DEAD_LETTER_WINDOW,
  { path: ["page"], message: `page × limit must be at most ${MAX_DEAD_LETTER_WINDOW}` },
);

type Page = { deadLetters: DeadLetterView[]; total: number };

async function pageOf(c: Context<GatewayEnv>, service: DeadLetterService, window: number) {
  try {
    return await jsonOf<Page>(await callInternal(c, service, `/dead-letters?limit=${window}`));
  } catch (error) {
    log("warn", "dead letters unavailable", { upstream: service, ...errorFields(error) });
    return undefined;
  }
}

/** Newest first; equal times keep a stable order. */
function newestFirst(a: DeadLetterView, b: DeadLetterView): number {
  return b.receivedAt.localeCompare(a.receivedAt) || a.id.localeCompare(b.id);
}

/**
 * `GET /api/admin/dead-letters` (admin): the dead letters of every service that owns a dead-letter queue, merged
 * newest first and paginated. Each service is asked for its newest `page × limit` (at most 1000), which is all a
 * merged page can need. A service that does not answer is named in `unavailable`; the others are still listed.
 */
export async function listDeadLetters(c: Context<GatewayEnv>): Promise<Response> {
  const parsed = ListQuerySchema.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error);
  const query = parsed.data;
  const services = query.service ? [query.service] : [...DEAD_LETTER_SERVICES];
  const pages = await Promise.all(services.map((s) => pageOf(c, s, query.page * query.limit)));
  const unavailable = services.filter((_, i) => pages[i] === undefined);
  const all = pages.flatMap((p) => p?.deadLetters ?? []).sort(newestFirst);
  const total = pages.reduce((sum, p) => sum + (p?.total ?? 0), 0);
  const start = (query.page - 1) * query.limit;
  return c.json({
    deadLetters: all.slice(start, start + query.limit),
    pagination: pagination(query, total),
    unavailable,
  });
}

/**
 * `POST /api/admin/dead-letters/:id/replay` (admin): the id (`<service>:<uuid>`) names the service that owns the
 * dead letter; that service sends it back to its queue once. Its answer (202, or a 404/409/503 problem) passes
 * through unchanged, as the proxy does.
 */
export async function replayDeadLetter(c: Context<GatewayEnv>): Promise<Response> {
  const id = c.req.param("id") ?? "";
  const owner = DEAD_LETTER_SERVICES.find((s) => id.startsWith(`${s}:`));
  if (!owner) throw errors.notFound("Dead letter");
  const response = await callInternal(c, owner, `/dead-letters/${encodeURIComponent(id)}/replay`, {
    method: "POST",
  });
  return new Response(response.body, response);
}
