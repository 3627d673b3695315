// The bench's purpose-built worker: one Hono app whose routes each make exactly one platform call, so that
// (cost of route) − (cost of the bare Hono route) is the cost of that call. Deployed twice in the bench's
// Miniflare: "prim-hono" with every binding, and "prim-next" as the far end of the service-binding and RPC
// hops. Bundled by wrangler like the real workers; typechecked by the scripts project.

import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import type {
  D1Database,
  DurableObjectNamespace,
  Fetcher,
  KVNamespace,
  MessageBatch,
  Queue,
  Service,
} from "@cloudflare/workers-types/index.ts";
import { Hono } from "hono";
import { ARGON2_PARAMS, kdf } from "../../workers/users/src/domain/password.ts";
import {
  KV_KEY,
  LEDGER_INSERT,
  PAGE_20_ROWS_WITH_TOTAL,
  READ_20_ROWS,
  SEARCH_20_ROWS,
  SEARCH_WORDS,
  STOCK_UPDATE,
} from "./schema.ts";

interface Env {
  NEXT: Fetcher;
  NEXT_RPC: Service<PrimRpc>;
  CACHE: KVNamespace;
  DB: D1Database;
  QUEUE: Queue;
  LIMITER: DurableObjectNamespace<Limiter>;
}

/** The far end of the RPC hop: does nothing, so the hop costs what the platform charges for it. */
export class PrimRpc extends WorkerEntrypoint<Env> {
  ping(): { ok: boolean } {
    return { ok: true };
  }
}

/** The same shape of work as the gateway's RateLimiter: one synchronous KV read and write per call. */
export class Limiter extends DurableObject<Env> {
  hit(): number {
    const count = (this.ctx.storage.kv.get<number>("count") ?? 0) + 1;
    this.ctx.storage.kv.put("count", count);
    return count;
  }
}

// Ed25519, as the gateway verifies access tokens: a key imported once per isolate, one verify per request.
type CryptoKey = Parameters<typeof crypto.subtle.verify>[1];
let signed: Promise<{ key: CryptoKey; signature: ArrayBuffer; data: Uint8Array }> | undefined;
function signedMessage() {
  signed ??= (async () => {
    const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as {
      privateKey: CryptoKey;
      publicKey: CryptoKey;
    };
    const data = new TextEncoder().encode(`eyJhbGciOiJFZERTQSJ9.${"x".repeat(200)}`);
    const signature = await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, data);
    return { key: pair.publicKey, signature, data };
  })();
  return signed;
}

let sequence = 0;
let page: string | null | undefined;

// A picture in the Cache API, as the gateway serves a hot one (bytes of the size of a 320-pixel WebP variant).
const CACHED_PICTURE = "https://bench.internal/media/hot-320.webp";
const PICTURE_BYTES = 8 * 1024;
// workerd's global, the part used here (the scripts project typechecks this file with Node's globals, which have
// no Cache API).
declare const caches: {
  default: {
    match(url: string): Promise<Response | undefined>;
    put(url: string, response: Response): Promise<void>;
  };
};
const edgeCache = () => caches.default;

async function cachedPicture(): Promise<Response> {
  const hit = await edgeCache().match(CACHED_PICTURE);
  if (hit) return hit;
  // The first request fills the cache (during the warm-up); every measured one is a hit.
  const headers = { "content-type": "image/webp", "cache-control": "public, max-age=31536000, immutable" };
  await edgeCache().put(CACHED_PICTURE, new Response(new Uint8Array(PICTURE_BYTES).fill(7), { headers }));
  return (await edgeCache().match(CACHED_PICTURE)) ?? badCall("cache");
}

// A 4 KiB JSON entry in the Cache API, as a catalog page would be kept there (issue 27: beside the KV hit).
const CACHED_PAGE = "https://bench.internal/catalog/page-1";

async function cachedPage(env: Env): Promise<Response> {
  const hit = await edgeCache().match(CACHED_PAGE);
  if (hit) return hit;
  // The first request fills the cache with the KV primitive's page (during the warm-up); every measured one hits.
  const page = await CALLS.kv(env);
  const headers = { "content-type": "application/json", "cache-control": "public, max-age=3600" };
  await edgeCache().put(CACHED_PAGE, new Response(page, { headers }));
  return (await edgeCache().match(CACHED_PAGE)) ?? badCall("cacheJson");
}

/** The far ends a request can ask: NEXT, and the copies the harness binds as NEXT_2…NEXT_6 (one per service). */
const FAR_ENDS = ["NEXT", "NEXT_2", "NEXT_3", "NEXT_4", "NEXT_5", "NEXT_6"] as const;
type FarEnd = (typeof FAR_ENDS)[number];

function hop(env: Env, farEnd: FarEnd = "NEXT") {
  const next = (env as unknown as Record<FarEnd, Fetcher>)[farEnd];
  return next.fetch("https://next.internal/hono", { headers: { "x-request-id": crypto.randomUUID() } });
}

/** Each platform call a route makes, once: the one-call routes and /together share them. */
const CALLS = {
  hop: async (env: Env, farEnd?: FarEnd) => (await hop(env, farEnd)).body?.cancel(),
  // Several workers asked at once, each its own far end: the shape of the gateway's /health.
  fan: async (env: Env, count: number) => {
    const responses = await Promise.all(FAR_ENDS.slice(0, count).map((farEnd) => hop(env, farEnd)));
    await Promise.all(responses.map((r) => r.body?.cancel()));
  },
  rpc: (env: Env) => env.NEXT_RPC.ping(),
  kv: async (env: Env) => {
    const value = await env.CACHE.get(KV_KEY);
    if (value === null) throw new Error("the KV key was not seeded");
    return value;
  },
  // A Cache API hit of a picture, its bytes read as the gateway streams them out.
  cache: async () => (await cachedPicture()).arrayBuffer(),
  // A Cache API hit of a 4 KiB JSON page, its text read as a handler serves it.
  cacheJson: async (env: Env) => (await cachedPage(env)).text(),
  // A cache fill: the page just read, stored again under one of 64 keys with the shortest TTL KV takes.
  kvPut: async (env: Env) => {
    page ??= await env.CACHE.get(KV_KEY);
    if (page === null) throw new Error("the KV key was not seeded");
    await env.CACHE.put(`bench:fill:${++sequence % 64}`, page, { expirationTtl: 60 });
  },
  d1Read: async (env: Env) => (await env.DB.prepare(READ_20_ROWS).all()).results,
  d1Page: async (env: Env) => {
    const rows = (await env.DB.prepare(PAGE_20_ROWS_WITH_TOTAL).all<{ total: number }>()).results;
    return { products: rows, total: rows[0]?.total };
  },
  d1Search: async (env: Env) => {
    const word = SEARCH_WORDS[++sequence % SEARCH_WORDS.length];
    return (await env.DB.prepare(SEARCH_20_ROWS).bind(`"${word}"*`).all()).results;
  },
  d1Batch: async (env: Env) => {
    const n = ++sequence;
    const [a, b] = [`item-${n % 50}`, `item-${50 + (n % 50)}`];
    const results = await env.DB.batch([
      env.DB.prepare(STOCK_UPDATE).bind(a),
      env.DB.prepare(STOCK_UPDATE).bind(b),
      env.DB.prepare(LEDGER_INSERT).bind(crypto.randomUUID(), a, b, Date.now()),
    ]);
    return results.map((r) => r.meta.changes);
  },
  queue: (env: Env) =>
    env.QUEUE.send({
      id: crypto.randomUUID(),
      type: "bench.event",
      version: 1,
      occurredAt: new Date().toISOString(),
      source: "bench",
      correlationId: crypto.randomUUID(),
      data: { orderId: crypto.randomUUID(), total: 4200, currency: "USD" },
    }),
  do: (env: Env) => env.LIMITER.get(env.LIMITER.idFromName("203.0.113.7")).hit(),
  // One JSON log line of a request's size and shape, as every worker writes per request: the runtime's cost of
  // taking a line (workerd hands it to the log pipeline; Workers Logs in production), nothing of ours.
  log: () =>
    console.log(
      JSON.stringify({
        level: "info",
        msg: "request",
        time: new Date().toISOString(),
        service: "bench",
        requestId: crypto.randomUUID(),
        method: "GET",
        route: "/api/products/:id",
        status: 200,
        durationMs: 1,
        upstream: "products",
      }),
    ),
  ed25519: async () => {
    const { key, signature, data } = await signedMessage();
    return crypto.subtle.verify({ name: "Ed25519" }, key, signature, data);
  },
};

/**
 * One call of a /together list: a name of CALLS, `hop:N` (a hop to far end N, 1–5) or `fan:N` (N far ends at
 * once). Anything else is refused, so a typo cannot make a floor cheaper.
 */
function together(env: Env, call: string): Promise<unknown> | unknown {
  const [name, arg] = call.split(":");
  const n = Number(arg);
  if (name === "hop") return CALLS.hop(env, FAR_ENDS[(arg === undefined ? 1 : n) - 1] ?? badCall(call));
  if (name === "fan" && n >= 1 && n <= FAR_ENDS.length) return CALLS.fan(env, n);
  if (arg === undefined && name && name in CALLS && name !== "fan") return CALLS[name as "kv"](env);
  return badCall(call);
}

function badCall(call: string): never {
  throw new Error(`unknown call ${call}`);
}

const app = new Hono<{ Bindings: Env }>()
  .get("/hono", (c) => c.json({ ok: true }))
  .get("/hop", async (c) => {
    const response = await hop(c.env);
    return new Response(response.body, response);
  })
  .get("/rpc", async (c) => c.json(await CALLS.rpc(c.env)))
  .get("/kv", async (c) => c.body(await CALLS.kv(c.env), 200, { "content-type": "application/json" }))
  .get("/cache", async () => {
    const hit = await cachedPicture();
    return new Response(hit.body, hit);
  })
  .get("/cache-json", async (c) => {
    const hit = await cachedPage(c.env);
    return new Response(hit.body, hit);
  })
  .post("/kv-put", async (c) => {
    await CALLS.kvPut(c.env);
    return c.json({ stored: true }, 201);
  })
  .get("/d1-read", async (c) => c.json(await CALLS.d1Read(c.env)))
  .get("/d1-page", async (c) => c.json(await CALLS.d1Page(c.env)))
  .get("/d1-search", async (c) => c.json(await CALLS.d1Search(c.env)))
  .post("/d1-batch", async (c) => c.json({ changed: await CALLS.d1Batch(c.env) }, 201))
  .post("/queue", async (c) => {
    await CALLS.queue(c.env);
    return c.json({ sent: true }, 202);
  })
  .get("/do", async (c) => c.json({ count: await CALLS.do(c.env) }))
  .get("/log", (c) => {
    CALLS.log();
    return c.json({ ok: true });
  })
  .get("/ed25519", async (c) => c.json({ valid: await CALLS.ed25519() }))
  // The platform calls of a whole shop request, made one after another in one request (?calls=do,hop:1,kv,log):
  // their cost measured together, in the shape and order a scenario makes them (bench/scenarios/together.ts).
  .get("/together", async (c) => {
    for (const call of (c.req.query("calls") ?? "").split(",")) await together(c.env, call);
    return c.json({ ok: true });
  })
  // The stub service behind the bench's second gateway: any /api path answers at once, so that gateway's
  // measured cost is its own (rate limit, auth, logging, proxying) plus one hop.
  .all("/api/*", (c) => c.json({ ok: true }))
  .post("/argon2id", async (c) => {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const hash = await kdf.argon2id("correct horse battery staple", salt, ARGON2_PARAMS);
    return c.json({ bytes: hash.length });
  });

export default {
  fetch: app.fetch,
  // The consumer of the queue primitive: acknowledges everything, so the queue costs only its own work.
  queue(batch: MessageBatch): void {
    batch.ackAll();
  },
};
