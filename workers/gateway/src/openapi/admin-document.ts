// The gateway's admin routes (answered by the gateway itself, from every service's internal admin route),
// described for the public document. Served by admin/*.ts; the same shapes are checked by the contract test.
import { PaginationSchema, SERVICES } from "@edge-shop/contracts";
import { openApi } from "@edge-shop/worker-kit";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { DEAD_LETTER_SERVICES } from "../admin/internal-call";

const { problem, json } = openApi;

const Count = z.number().int().min(0);
const DeadLetterService = z.enum(DEAD_LETTER_SERVICES);

const ServiceStatusSchema = z
  .object({
    service: z.string(),
    status: z.literal("OK"),
    version: z
      .string()
      .openapi({ description: "The git sha the worker was deployed from", example: "4f2c1a9e0b7d" }),
    migrations: z.object({
      applied: Count,
      latest: z.string().nullable().openapi({ example: "0002_dead_letters.sql" }),
    }),
    outbox: z.object({
      unsent: Count.openapi({ description: "Events written but not yet published" }),
      oldestAgeSeconds: Count.nullable(),
    }),
    deadLetters: z
      .object({ total: Count, unreplayed: Count })
      .nullable()
      .openapi({ description: "null for a service without a dead-letter queue" }),
  })
  .openapi("ServiceStatus");

const ServiceDownSchema = z
  .object({ service: z.string(), status: z.literal("DOWN"), error: z.string() })
  .openapi("ServiceDown");

const Either = z.union([ServiceStatusSchema, ServiceDownSchema]);
const AdminStatusSchema = z
  .object({
    status: z.enum(["OK", "DEGRADED"]),
    gateway: z.object({ version: z.string() }),
    services: z.object(Object.fromEntries(SERVICES.map((name) => [name, Either]))),
  })
  .openapi("AdminStatus");

const DeadLetterSchema = z
  .object({
    id: z.string().openapi({ description: "`<service>:<uuid>`", example: "orders:0b9e…" }),
    service: DeadLetterService,
    queue: z.string().openapi({ description: "The queue the message failed on", example: "orders-queue" }),
    messageId: z.string(),
    eventId: z.string().nullable(),
    eventType: z.string().nullable(),
    correlationId: z.string().nullable().openapi({ description: "The request id that caused the event" }),
    body: z.unknown().openapi({ description: "The message as it was sent (an event envelope)" }),
    attempts: Count,
    lastError: z.string().nullable(),
    receivedAt: z.string().datetime(),
    replayedAt: z.string().datetime().nullable(),
  })
  .openapi("DeadLetter");

const DeadLetterListSchema = z
  .object({
    deadLetters: z.array(DeadLetterSchema),
    pagination: PaginationSchema,
    unavailable: z.array(DeadLetterService).openapi({ description: "Services that did not answer" }),
  })
  .openapi("DeadLetterList");

const tags = ["Admin"];
const security = [{ bearerAuth: [] }];

/** Registers the descriptions of `/api/admin/*` on the gateway's described app (never served from there). */
export function describeAdminRoutes(described: OpenAPIHono): void {
  described.openapi(
    createRoute({
      method: "get",
      path: "/api/admin/status",
      tags,
      security,
      summary: "Every service's version, migrations, outbox backlog and dead letters (admin)",
      responses: {
        200: json(AdminStatusSchema, "Every service answered"),
        503: json(AdminStatusSchema, "A service did not answer (`DEGRADED`; it is `DOWN`)"),
      },
    }),
    (c) => c.json({} as z.infer<typeof AdminStatusSchema>, 200),
  );
  described.openapi(
    createRoute({
      method: "get",
      path: "/api/admin/dead-letters",
      tags,
      security,
      summary: "Dead letters of every service, newest first (admin)",
      description: "Messages a queue consumer gave up on after its retries. `page × limit` is at most 1000.",
      request: {
        query: z.object({
          page: z.coerce.number().int().min(1).default(1).openapi({ example: 1 }),
          limit: z.coerce.number().int().min(1).max(100).default(10).openapi({ example: 10 }),
          service: DeadLetterService.optional(),
        }),
      },
      responses: {
        200: json(DeadLetterListSchema, "A page of dead letters"),
        400: problem("Invalid query (errors[])"),
      },
    }),
    (c) => c.json({} as z.infer<typeof DeadLetterListSchema>, 200),
  );
  described.openapi(
    createRoute({
      method: "post",
      path: "/api/admin/dead-letters/{id}/replay",
      tags,
      security,
      summary: "Send a dead letter back to its queue, once (admin)",
      description: "The consumers are idempotent, so a replay has an effect at most once.",
      request: { params: z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) }) },
      responses: {
        202: json(z.object({ deadLetter: DeadLetterSchema }).openapi("ReplayedDeadLetter"), "Sent back"),
        404: problem("No such dead letter"),
        409: problem("Already replayed (`already_replayed`)"),
        503: problem("The queue refused the message; nothing changed, try again (`replay_failed`)"),
      },
    }),
    (c) => c.json({} as { deadLetter: z.infer<typeof DeadLetterSchema> }, 202),
  );
}
