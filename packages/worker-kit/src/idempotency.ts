/**
 * Idempotency keys with Stripe's semantics, for POST routes that must not run twice.
 *
 * Usage (each service re-exports `idempotencyKeys` from its `src/db/schema.ts` so drizzle-kit
 * generates the table into its own D1):
 *
 * ```ts
 * const route = createRoute({
 *   method: "post", path: "/api/orders",
 *   middleware: [idempotency({ db: (c) => drizzle(c.env.DB) })] as const,
 *   request: { headers: IdempotencyKeyHeaderSchema, body: … },   // documents the header in OpenAPI
 *   responses: { …, 409: problem, 422: problem },
 * });
 * // scheduled handler:
 * await deleteExpiredIdempotencyKeys(drizzle(env.DB));
 * ```
 *
 * Behaviour of the middleware (it must run after `identity()`, which `createServiceApp` installs):
 * - the caller must be authenticated (401 otherwise); keys are scoped per user id;
 * - `Idempotency-Key` is required: missing → 400 `idempotency_key_required`; not 1–255 printable
 *   ASCII characters → 400 `idempotency_key_invalid`;
 * - the request hash is SHA-256 of `METHOD\nPATH\nRAW BODY` (the body bytes as sent, no canonicalisation);
 * - the key is claimed atomically (INSERT … ON CONFLICT); a key that is expired (older than 24 h) or whose
 *   in-flight claim is older than the lease (the worker died mid-request) is taken over by the same statement;
 * - the same key with another request hash → 422 `idempotency_key_reused`;
 * - the same key while the first request still runs → 409 `idempotency_key_in_flight` (client retries later);
 * - the same key after completion → the stored status, content type and body again, with
 *   `Idempotent-Replayed: true`, and the handler does not run;
 * - final responses with status < 500 (2xx and 4xx, including thrown `AppError`s rendered by `onError`)
 *   are stored; a 5xx, an answer carrying `Retry-After` (it asks for a retry, so it is not final) or an
 *   exception escaping `next()` releases the key so the client may retry with it;
 * - a handler may instead store its answer in its own batch with `idempotentResponse(c, db, status, body)`:
 *   the state change and the answer to replay then commit together (no write after the handler, and no
 *   window where the change is committed but the key still in flight). Once that batch has committed the
 *   key is done: nothing after it (an exception, another status) releases it.
 */
import { z } from "@hono/zod-openapi";
import { and, eq, lt, or, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Context, Env, MiddlewareHandler } from "hono";
import { AppError } from "./app-error";
import { requireUser } from "./identity";
import { errorFields, log } from "./log";
import { purgeInBatches } from "./retention";

// biome-ignore lint/suspicious/noExplicitAny: drizzle's D1 database is generic over each service's schema
type Db = DrizzleD1Database<any>;

/** How long a completed key is remembered (and blocks reuse with another body). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** After this long an in-flight claim is considered abandoned (the isolate died) and may be taken over. */
export const IDEMPOTENCY_IN_FLIGHT_LEASE_MS = 2 * 60 * 1000;
/** The response header set on a replayed response. */
export const IDEMPOTENT_REPLAYED_HEADER = "Idempotent-Replayed";

const KEY_FORMAT = /^[\x20-\x7E]{1,255}$/;

/** Stored idempotency keys: one row per (user, key), with the first request's hash and final response. */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    userId: text("user_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    state: text("state", { enum: ["in_flight", "done"] }).notNull(),
    /** Random id of the claim, so a request whose lease was taken over cannot store over its successor. */
    claim: text("claim").notNull(),
    responseStatus: integer("response_status"),
    responseContentType: text("response_content_type"),
    responseBody: text("response_body"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index("idempotency_keys_expires").on(t.expiresAt)],
);

type KeyRow = typeof idempotencyKeys.$inferSelect;

/** The `Idempotency-Key` request header for `createRoute({ request: { headers } })` (OpenAPI documentation). */
export const IdempotencyKeyHeaderSchema = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .openapi({
      param: { name: "idempotency-key", in: "header", required: true },
      description: "A unique key per logical operation (e.g. a UUID); retries reuse it. Kept 24 hours.",
      example: "5f1d7c1e-3c55-4a65-9d35-0f2b8f4a9a10",
    }),
});

/** SHA-256 (hex) of `METHOD\nPATH\nBODY`: what "the same request" means for a key. */
export async function requestHash(method: string, path: string, body: string): Promise<string> {
  const bytes = new TextEncoder().encode(`${method.toUpperCase()}\n${path}\n${body}`);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Deletes keys past their expiry (run from the scheduled handler); returns how many went. */
export function deleteExpiredIdempotencyKeys(db: Db, now = Date.now()): Promise<number> {
  return purgeInBatches(db, idempotencyKeys, lt(idempotencyKeys.expiresAt, now));
}

/** Tries to take the key: a new row, or a takeover of an expired or abandoned one. Returns the claim id or null. */
async function claimKey(db: Db, userId: string, key: string, hash: string, now: number, leaseMs: number) {
  const claim = crypto.randomUUID();
  const fresh = {
    requestHash: hash,
    state: "in_flight" as const,
    claim,
    createdAt: now,
    expiresAt: now + IDEMPOTENCY_TTL_MS,
  };
  const rows = await db
    .insert(idempotencyKeys)
    .values({ userId, key, ...fresh })
    .onConflictDoUpdate({
      target: [idempotencyKeys.userId, idempotencyKeys.key],
      set: { ...fresh, responseStatus: null, responseContentType: null, responseBody: null },
      // Only a dead key is taken over; a live one is left for the caller to inspect.
      setWhere: or(
        lt(idempotencyKeys.expiresAt, now),
        and(eq(idempotencyKeys.state, "in_flight"), lt(idempotencyKeys.createdAt, now - leaseMs)),
      ),
    })
    .returning({ claim: idempotencyKeys.claim });
  return rows[0]?.claim === claim ? claim : null;
}

async function readKey(db: Db, userId: string, key: string): Promise<KeyRow | undefined> {
  const rows = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)))
    .limit(1);
  return rows[0];
}

function ownClaim(userId: string, key: string, claim: string) {
  return and(
    eq(idempotencyKeys.userId, userId),
    eq(idempotencyKeys.key, key),
    eq(idempotencyKeys.claim, claim),
    eq(idempotencyKeys.state, "in_flight"),
  );
}

/** The claim a request holds while its handler runs, by Hono context (one per request). */
interface HeldClaim {
  userId: string;
  key: string;
  claim: string;
  /** The status the handler stored with `idempotentResponse`, if it did. */
  storedStatus?: number;
}
const held = new WeakMap<Context, HeldClaim>();

/** The content type `c.json()` answers with, stored with an answer given to `idempotentResponse`. */
const JSON_CONTENT_TYPE = "application/json";

/**
 * For a handler behind `idempotency()`: the statement that stores `c.json(body, status)` as the key's final
 * answer, to put in the handler's own `db.batch()` with its state change. The handler must then answer
 * exactly `c.json(body, status)`, and only if that batch committed: the middleware takes an answer of this
 * status as stored, so a handler that swallowed the batch's failure and answered it anyway would leave the key
 * in flight until its lease runs out (let the error escape: the key is then released). Undefined when the
 * route has no idempotency middleware. With `onlyIf`, the answer is stored only while that condition holds
 * (e.g. the batch's guarded change won); otherwise the key stays in flight and the handler may store another.
 */
export function idempotentResponse(
  c: Context,
  db: Db,
  status: number,
  body: unknown,
  onlyIf?: SQL,
): BatchItem<"sqlite"> | undefined {
  const claim = held.get(c);
  if (!claim) return undefined;
  claim.storedStatus = status;
  return db
    .update(idempotencyKeys)
    .set({
      state: "done",
      responseStatus: status,
      responseContentType: JSON_CONTENT_TYPE,
      responseBody: JSON.stringify(body),
    })
    .where(and(ownClaim(claim.userId, claim.key, claim.claim), onlyIf));
}

function replay(row: KeyRow): Response {
  return new Response(row.responseBody ?? null, {
    status: row.responseStatus ?? 200,
    headers: {
      ...(row.responseContentType ? { "content-type": row.responseContentType } : {}),
      [IDEMPOTENT_REPLAYED_HEADER]: "true",
    },
  });
}

/** Hono middleware that makes a route idempotent per user and `Idempotency-Key` (see the file's doc comment). */
export function idempotency<E extends Env>(options: {
  db: (c: Context<E>) => Db;
  inFlightLeaseMs?: number;
}): MiddlewareHandler<E> {
  const leaseMs = options.inFlightLeaseMs ?? IDEMPOTENCY_IN_FLIGHT_LEASE_MS;
  return async function idempotencyMiddleware(c, next) {
    // The identity middleware of createServiceApp sets this variable; the cast only widens E.
    const { userId } = requireUser(c as unknown as Parameters<typeof requireUser>[0]);
    const key = c.req.header("idempotency-key");
    if (key === undefined || key === "") {
      throw new AppError(400, "idempotency_key_required", "This request needs an Idempotency-Key header");
    }
    if (!KEY_FORMAT.test(key)) {
      throw new AppError(
        400,
        "idempotency_key_invalid",
        "Idempotency-Key must be 1 to 255 printable characters",
      );
    }
    const db = options.db(c);
    // Hono caches the body text, so the validators after this middleware can still read it.
    const hash = await requestHash(c.req.method, c.req.path, await c.req.text());

    let claim: string | null = null;
    // A row can vanish between the claim attempt and the read (released after a 5xx): then try again.
    for (let attempt = 0; attempt < 3 && claim === null; attempt++) {
      claim = await claimKey(db, userId, key, hash, Date.now(), leaseMs);
      if (claim) break;
      const row = await readKey(db, userId, key);
      if (!row) continue;
      if (row.requestHash !== hash) {
        throw new AppError(
          422,
          "idempotency_key_reused",
          "This Idempotency-Key was already used with a different request",
        );
      }
      if (row.state === "in_flight") {
        throw new AppError(
          409,
          "idempotency_key_in_flight",
          "A request with this Idempotency-Key is still running",
          {
            headers: { "retry-after": "1" },
          },
        );
      }
      c.res = replay(row);
      return;
    }
    if (claim === null) {
      throw new AppError(
        409,
        "idempotency_key_in_flight",
        "A request with this Idempotency-Key is still running",
      );
    }

    const holding: HeldClaim = { userId, key, claim };
    held.set(c as unknown as Context, holding);
    try {
      await next();
    } catch (error) {
      // A key the handler's batch already stored is done (ownClaim matches only in-flight keys).
      await db.delete(idempotencyKeys).where(ownClaim(userId, key, claim));
      throw error;
    }
    const res = c.res;
    // Stored with the handler's own batch: nothing more to write.
    if (holding.storedStatus === res.status) return;
    try {
      // Not an outcome to replay for 24 hours: a server error, or an answer that asks the client to retry
      // later (a conflict with concurrent work, e.g. another payment of the order still running). Stripe does
      // not save those either; the key is released so a retry with it runs again.
      if (res.status >= 500 || res.headers.has("retry-after")) {
        await db.delete(idempotencyKeys).where(ownClaim(userId, key, claim));
        return;
      }
      await db
        .update(idempotencyKeys)
        .set({
          state: "done",
          responseStatus: res.status,
          responseContentType: res.headers.get("content-type"),
          responseBody: await res.clone().text(),
        })
        .where(ownClaim(userId, key, claim));
    } catch (error) {
      // The response itself is fine; the key stays in flight until its lease ends, then can be reused.
      log("error", "idempotency key not stored", { userId, ...errorFields(error) });
    }
  };
}
