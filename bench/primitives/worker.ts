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

const app = new Hono<{ Bindings: Env }>()
  .get("/hono", (c) => c.json({ ok: true }))
  .get("/hop", async (c) => {
    const response = await c.env.NEXT.fetch("https://next.internal/hono", {
      headers: { "x-request-id": crypto.randomUUID() },
    });
    return new Response(response.body, response);
  })
  .get("/rpc", async (c) => c.json(await c.env.NEXT_RPC.ping()))
  .get("/kv", async (c) => {
    const value = await c.env.CACHE.get(KV_KEY);
    if (value === null) throw new Error("the KV key was not seeded");
    return c.body(value, 200, { "content-type": "application/json" });
  })
  // A cache fill: the page just read, stored again under one of 64 keys with the shortest TTL KV takes.
  .post("/kv-put", async (c) => {
    page ??= await c.env.CACHE.get(KV_KEY);
    if (page === null) throw new Error("the KV key was not seeded");
    await c.env.CACHE.put(`bench:fill:${++sequence % 64}`, page, { expirationTtl: 60 });
    return c.json({ stored: true }, 201);
  })
  .get("/d1-read", async (c) => c.json((await c.env.DB.prepare(READ_20_ROWS).all()).results))
  .get("/d1-page", async (c) => {
    const rows = (await c.env.DB.prepare(PAGE_20_ROWS_WITH_TOTAL).all<{ total: number }>()).results;
    return c.json({ products: rows, total: rows[0]?.total });
  })
  .get("/d1-search", async (c) => {
    const word = SEARCH_WORDS[++sequence % SEARCH_WORDS.length];
    return c.json((await c.env.DB.prepare(SEARCH_20_ROWS).bind(`"${word}"*`).all()).results);
  })
  .post("/d1-batch", async (c) => {
    const n = ++sequence;
    const [a, b] = [`item-${n % 50}`, `item-${50 + (n % 50)}`];
    const results = await c.env.DB.batch([
      c.env.DB.prepare(STOCK_UPDATE).bind(a),
      c.env.DB.prepare(STOCK_UPDATE).bind(b),
      c.env.DB.prepare(LEDGER_INSERT).bind(crypto.randomUUID(), a, b, Date.now()),
    ]);
    return c.json({ changed: results.map((r) => r.meta.changes) }, 201);
  })
  .post("/queue", async (c) => {
    await c.env.QUEUE.send({
      id: crypto.randomUUID(),
      type: "bench.event",
      version: 1,
      occurredAt: new Date().toISOString(),
      source: "bench",
      correlationId: crypto.randomUUID(),
      data: { orderId: crypto.randomUUID(), total: 4200, currency: "USD" },
    });
    return c.json({ sent: true }, 202);
  })
  .get("/do", async (c) => {
    const limiter = c.env.LIMITER.get(c.env.LIMITER.idFromName("203.0.113.7"));
    return c.json({ count: await limiter.hit() });
  })
  // One JSON log line of a request's size and shape, as every worker writes per request: the runtime's cost of
  // taking a line (workerd hands it to the log pipeline; Workers Logs in production), nothing of ours.
  .get("/log", (c) => {
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
    );
    return c.json({ ok: true });
  })
  .get("/ed25519", async (c) => {
    const { key, signature, data } = await signedMessage();
    const valid = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, data);
    return c.json({ valid });
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
