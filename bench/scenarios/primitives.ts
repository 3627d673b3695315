import type { Step } from "../lib/load.ts";
import { isObject } from "./requests.ts";
import type { Scenario } from "./types.ts";

function get(path: string, check: Step["check"]): Step[] {
  return [{ path, expect: 200, check, label: path }];
}

const ok: Step["check"] = (body) => (isObject(body) && body.ok === true ? undefined : "not { ok: true }");

/** The runtime's own costs, each a tiny worker doing one thing (bench/primitives/worker.ts). */
export function primitiveScenarios(connections: number): Scenario[] {
  const scenario = (
    primitive: NonNullable<Scenario["primitive"]>,
    title: string,
    steps: Step[],
    target: Scenario["target"] = "hono",
    conns = connections,
  ): Scenario => ({
    id: `primitive:${primitive}`,
    title,
    target,
    connections: conns,
    steps,
    primitive,
    ...(primitive === "argon2id" ? { minSeconds: 3 } : {}),
  });
  return [
    scenario("bare", "bare Worker", get("/", ok), "bare"),
    scenario("hono", "bare Hono", get("/hono", ok)),
    scenario("hop", "service-binding hop to a 2nd Hono worker", get("/hop", ok)),
    scenario("rpc", "RPC hop (WorkerEntrypoint method)", get("/rpc", ok)),
    scenario(
      "do",
      "Durable Object RPC (SQLite KV get + put)",
      get("/do", (b) => (isObject(b) && typeof b.count === "number" ? undefined : "no count")),
    ),
    scenario("log", "one JSON log line (console.log)", get("/log", ok)),
    scenario(
      "ed25519",
      "Ed25519 verify (WebCrypto)",
      get("/ed25519", (b) => (isObject(b) && b.valid === true ? undefined : "signature did not verify")),
    ),
    scenario(
      "kv",
      "KV get (hit, 4 KiB)",
      get("/kv", (b) => (isObject(b) && Array.isArray(b.products) ? undefined : "not the seeded page")),
    ),
    scenario("cache", "Cache API hit (an 8 KiB picture)", [
      {
        path: "/cache",
        expect: 200,
        label: "/cache",
        check: (_b, headers) => (headers["content-type"] === "image/webp" ? undefined : "not the picture"),
      },
    ]),
    scenario(
      "cacheJson",
      "Cache API hit (4 KiB JSON)",
      get("/cache-json", (b) => (isObject(b) && Array.isArray(b.products) ? undefined : "not the page")),
    ),
    scenario("kvPut", "KV put (4 KiB, TTL 60 s)", [
      { method: "POST", path: "/kv-put", expect: 201, label: "kv-put" },
    ]),
    scenario(
      "d1Read",
      "D1 read (20 rows)",
      get("/d1-read", (b) => (Array.isArray(b) && b.length === 20 ? undefined : "not 20 rows")),
    ),
    scenario(
      "d1Page",
      "D1 page + total (20 rows, their count in the statement)",
      get("/d1-page", (b) =>
        isObject(b) && Array.isArray(b.products) && b.products.length === 20 && typeof b.total === "number"
          ? undefined
          : "not 20 rows and a total",
      ),
    ),
    scenario(
      "d1Search",
      "D1 full-text search (FTS5, bm25 page + total)",
      get("/d1-search", (b) => (Array.isArray(b) && b.length > 0 ? undefined : "no match")),
    ),
    scenario("d1Batch", "D1 batch (2 guarded updates + insert)", [
      {
        method: "POST",
        path: "/d1-batch",
        expect: 201,
        label: "d1-batch",
        check: (b) =>
          isObject(b) && JSON.stringify(b.changed) === "[1,1,1]"
            ? undefined
            : "a guarded update matched no row",
      },
    ]),
    scenario("queue", "queue send (consumer acks)", [
      { method: "POST", path: "/queue", expect: 202, label: "queue" },
    ]),
    scenario(
      "argon2id",
      "argon2id hash (m=7 MiB, t=5, p=1)",
      [{ method: "POST", path: "/argon2id", expect: 200, label: "argon2id" }],
      "hono",
      2,
    ),
  ];
}
