import { drizzle } from "drizzle-orm/d1";
import { z } from "zod";
import { errors } from "./app-error";
import { deadLetterView, listDeadLetters, replayDeadLetter } from "./dead-letters";
import { requireAdmin } from "./identity";
import { validationError } from "./problem";
import type { ServiceApp } from "./service-app";
import { serviceStatus } from "./status";

/** What the internal admin routes need of a service's bindings. */
export interface AdminBindings {
  DB: D1Database;
  /** The git sha the worker was built from (`wrangler deploy --var VERSION:<sha>`). */
  VERSION?: string;
  /** The queue this worker consumes: where a dead letter is replayed to (services that own a dead-letter queue). */
  REPLAY_QUEUE?: Queue;
}

/** Prefix of the routes only the gateway calls; its route table never forwards a client to them. */
export const INTERNAL_ADMIN_PREFIX = "/internal/admin";

/**
 * The route of each service that holds personal data, called by the gateway as the signed-in caller to gather
 * everything about them (`GET /api/users/profile/export`). Like the admin routes, no public path reaches it.
 */
export const INTERNAL_EXPORT_PATH = "/internal/export";

/** The most dead letters one service returns at once (the gateway merges pages from every service). */
export const MAX_DEAD_LETTER_WINDOW = 1000;

const LimitSchema = z.coerce.number().int().min(1).max(MAX_DEAD_LETTER_WINDOW).default(10);

/**
 * Internal admin routes, reached by the gateway's `/api/admin/*` fan-out over the service binding. Not in the
 * service's OpenAPI document; they still require the admin identity the gateway sets (defence in depth).
 * `deadLetters`: whether this service owns a dead-letter queue (and the `dead_letters` table).
 */
export function adminRoutes<B extends AdminBindings>(
  app: ServiceApp<B>,
  options: { service: string; deadLetters: boolean },
): void {
  const { service } = options;
  const db = (d1: D1Database) => drizzle(d1);

  app.get(`${INTERNAL_ADMIN_PREFIX}/status`, async (c) => {
    requireAdmin(c);
    const status = await serviceStatus(db(c.env.DB), {
      service,
      version: c.env.VERSION,
      deadLetters: options.deadLetters,
    });
    return c.json(status);
  });

  if (!options.deadLetters) return;

  app.get(`${INTERNAL_ADMIN_PREFIX}/dead-letters`, async (c) => {
    requireAdmin(c);
    const limit = LimitSchema.safeParse(c.req.query("limit"));
    if (!limit.success) throw validationError(limit.error, "limit");
    const { rows, total } = await listDeadLetters(db(c.env.DB), limit.data);
    return c.json({ deadLetters: rows.map((row) => deadLetterView(service, row)), total });
  });

  app.post(`${INTERNAL_ADMIN_PREFIX}/dead-letters/:id/replay`, async (c) => {
    requireAdmin(c);
    const queue = c.env.REPLAY_QUEUE;
    if (!queue) throw errors.notFound("Replay queue");
    const row = await replayDeadLetter(db(c.env.DB), service, c.req.param("id"), queue);
    return c.json({ deadLetter: deadLetterView(service, row) }, 202);
  });
}
