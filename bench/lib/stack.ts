import { randomBytes, webcrypto } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Miniflare, NoOpLog, type WorkerOptions } from "miniflare";
import { unstable_splitSqlQuery } from "wrangler";
import { SERVICES } from "../../packages/contracts/src/services.ts";
import {
  catalogPage,
  FTS_REBUILD,
  INSERT_ITEM,
  itemRow,
  KV_KEY,
  ROWS,
  SCHEMA,
} from "../primitives/schema.ts";
import { bundleConfig, bundleSource, type Manifest, ROOT } from "./bundle.ts";
import { readWranglerWorker, type WranglerWorker } from "./wrangler-config.ts";
/** The bench's client address: the gateway keys its rate limiter on CF-Connecting-IP. */
export const CLIENT_IP = "203.0.113.7";
const LOOPBACK = [{ host: "127.0.0.1", port: 0 }];

// Generous limits: every request still goes through the limiter's Durable Object, none is refused.
const VAR_OVERRIDES: Record<string, Record<string, string>> = {
  gateway: {
    RATE_LIMIT_DEFAULT: "1000000000/60",
    RATE_LIMIT_AUTH: "1000000000/60",
    RATE_LIMIT_REFRESH: "1000000000/60",
  },
  // Tokens outlive a long run.
  users: { ACCESS_TOKEN_TTL_SECONDS: "7200" },
  // The order line places unpaid orders by the thousand (four shoppers); the cap is still checked on each one.
  orders: { MAX_PENDING_ORDERS: "1000000000" },
};

/** The same secret format as `pnpm dev` writes to .dev.vars (scripts/lib/dev-vars.ts). */
async function secrets(): Promise<{
  shared: Record<string, string>;
  own: Record<string, Record<string, string>>;
}> {
  const pair = (await webcrypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const jwk = await webcrypto.subtle.exportKey("jwk", pair.privateKey);
  const kid = `bench-${randomBytes(3).toString("hex")}`;
  return {
    // The gateway signs the identity it forwards; every service verifies it with the same secret.
    shared: { IDENTITY_SECRET: randomBytes(32).toString("base64url") },
    own: {
      users: { JWT_PRIVATE_KEYS: JSON.stringify([{ ...jwk, kid, alg: "EdDSA" }]) },
      payments: { PAYMENT_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("hex")}` },
    },
  };
}

export interface StackOptions {
  say: (line: string) => void;
  inspect?: boolean;
  /** Keep the state on disk (os.tmpdir()) instead of tmpfs. */
  disk?: boolean;
}

export interface Stack {
  mf: Miniflare;
  /** Direct (proxy-free) URLs of the gateway and the primitive workers. */
  urls: { gateway: string; gatewayStub: string; products: string; bare: string; hono: string };
  /** Lines the workers logged (console.*), by a counter the bench reads to count log calls per request. */
  logLines(): number;
  /** A fresh workerd: the same bundles, new state (migrated and seeded again), new sockets. */
  restart(): Promise<Stack>;
  stop(): Promise<void>;
}

function textEnv(values: Record<string, string>): Record<string, { type: "text"; value: string }> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { type: "text" as const, value: v }]));
}

function realWorker(
  worker: WranglerWorker,
  manifest: Manifest,
  extra: Record<string, string>,
  direct: boolean,
): WorkerOptions {
  return {
    config: {
      name: worker.name,
      compatibilityDate: worker.compatibilityDate,
      compatibilityFlags: worker.compatibilityFlags,
      manifest,
      env: { ...worker.env, ...textEnv(extra) },
      exports: worker.exports,
      triggers: worker.triggers,
    },
    // CF-Connecting-IP is kept: the gateway rate-limits by it, as behind Cloudflare.
    dev: { stripCfConnectingIp: false, ...(direct ? { unsafeDirectSockets: LOOPBACK } : {}) },
  };
}

/**
 * The real gateway once more, as "gateway-stub", with every service but users (its JWKS) replaced by the
 * primitive worker's instant /api/* answer: what the gateway costs by itself.
 */
function gatewayStub(gateway: WorkerOptions): WorkerOptions {
  const env = Object.fromEntries(
    Object.entries(gateway.config.env ?? {}).map(([name, entry]) => {
      if (entry.type === "worker" && "worker" in entry && entry.worker !== "users") {
        return [name, { type: "worker" as const, worker: "prim-next" }];
      }
      if (entry.type === "durable-object" && "worker" in entry && entry.worker === "gateway") {
        return [name, { ...entry, worker: "gateway-stub" }];
      }
      return [name, entry];
    }),
  );
  return {
    config: { ...gateway.config, name: "gateway-stub", env },
    dev: { stripCfConnectingIp: false, unsafeDirectSockets: LOOPBACK },
  };
}

const BARE_WORKER = `export default { fetch() { return Response.json({ ok: true }); } };`;

/** Copies of the hop's far end, so a request can ask six workers as the gateway's /health asks six services. */
const OTHER_FAR_ENDS = ["prim-next-2", "prim-next-3", "prim-next-4", "prim-next-5", "prim-next-6"];

function primitiveWorkers(manifest: Manifest, compatibilityDate: string): WorkerOptions[] {
  return [
    {
      config: {
        name: "prim-bare",
        compatibilityDate,
        manifest: { mainModule: "index.js", modules: { "index.js": { type: "esm", contents: BARE_WORKER } } },
      },
      dev: { unsafeDirectSockets: LOOPBACK },
    },
    {
      config: {
        name: "prim-hono",
        compatibilityDate,
        manifest,
        env: {
          NEXT: { type: "worker", worker: "prim-next" },
          // The far ends of a request that asks several workers (bench/scenarios/together.ts): each its own.
          ...Object.fromEntries(
            OTHER_FAR_ENDS.map((name, i) => [`NEXT_${i + 2}`, { type: "worker" as const, worker: name }]),
          ),
          NEXT_RPC: { type: "worker", worker: "prim-next", exportName: "PrimRpc" },
          CACHE: { type: "kv", id: "prim-cache" },
          DB: { type: "d1", id: "prim-db" },
          QUEUE: { type: "queue", name: "prim-queue" },
          LIMITER: { type: "durable-object", worker: "prim-hono", exportName: "Limiter" },
        },
        exports: { Limiter: { type: "durable-object", storage: "sqlite" } },
        triggers: [{ type: "queue", name: "prim-queue", maxBatchSize: 100, maxBatchTimeout: 1 }],
      },
      dev: { unsafeDirectSockets: LOOPBACK },
    },
    { config: { name: "prim-next", compatibilityDate, manifest } },
    ...OTHER_FAR_ENDS.map((name) => ({ config: { name, compatibilityDate, manifest } })),
  ];
}

async function runStatements(mf: Miniflare, worker: string, sql: string): Promise<number> {
  const db = await mf.getD1Database("DB", worker);
  const statements = unstable_splitSqlQuery(sql).filter((s) => s.trim() !== "");
  for (const statement of statements) await db.prepare(statement).run();
  return statements.length;
}

async function migrate(mf: Miniflare, worker: WranglerWorker): Promise<void> {
  const folder = worker.d1Migrations.DB;
  if (!folder) return;
  const dir = resolve(dirname(resolve(ROOT, worker.configPath)), folder);
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  for (const file of files) await runStatements(mf, worker.name, await readFile(join(dir, file), "utf8"));
}

/** Runs `workers/<service>/seed/seed.ts`'s SQL, as `pnpm dev` does; returns whether there was one. */
async function seed(mf: Miniflare, service: string): Promise<boolean> {
  const module = `${ROOT}workers/${service}/seed/seed.ts`;
  if (!existsSync(module)) return false;
  const { seedSql } = (await import(module)) as { seedSql: () => Promise<string> };
  await runStatements(mf, service, await seedSql());
  return true;
}

async function setUpPrimitives(mf: Miniflare): Promise<void> {
  const db = await mf.getD1Database("DB", "prim-hono");
  for (const statement of SCHEMA) await db.prepare(statement).run();
  await db.batch(Array.from({ length: ROWS }, (_, n) => db.prepare(INSERT_ITEM).bind(...itemRow(n))));
  await db.prepare(FTS_REBUILD).run();
  const kv = await mf.getKVNamespace("CACHE", "prim-hono");
  await kv.put(KV_KEY, catalogPage(4096));
}

/**
 * Bundles every worker with `wrangler deploy --dry-run`, starts them all in one Miniflare (one workerd: one
 * thread) with the gateway and the primitives served on their own sockets, then migrates, seeds and sets
 * up the primitives' data. Storage lives in a temporary folder removed by `stop()`.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  // tmpfs by default: local D1, KV and Durable Object writes are SQLite commits, and on a shared VM disk their fsync
  // latency (not the workers' CPU) would set the pace of every write and of the rate limiter.
  const base = !options.disk && existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const dir = await mkdtemp(join(base, "edge-shop-bench-"));
  // Whatever happens (an error, process.exit on Ctrl-C), the state folder does not outlive the process.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", removeDir);
  const settled = (stack: Stack): Stack => ({
    ...stack,
    restart: async () => settled(await stack.restart()),
    stop: async () => {
      await stack.stop();
      process.off("exit", removeDir);
    },
  });
  try {
    return settled(await start(dir, options));
  } catch (error) {
    removeDir();
    process.off("exit", removeDir);
    throw error;
  }
}

async function start(dir: string, options: StackOptions): Promise<Stack> {
  const configs = ["wrangler.toml", ...SERVICES.map((s) => `workers/${s}/wrangler.toml`)];
  const real = configs.map((config) => readWranglerWorker(config));
  options.say(`bundling ${real.length} workers and the primitives with wrangler deploy --dry-run`);
  const compatibilityDate = real[0]?.compatibilityDate ?? "2026-11-01";
  const [manifests, primitive] = await Promise.all([
    Promise.all(configs.map((config, i) => bundleConfig(config, join(dir, `bundle-${i}`)))),
    bundleSource("bench-primitives", `${ROOT}bench/primitives/worker.ts`, compatibilityDate, dir),
  ]);
  const secret = await secrets();
  const workers = real.map((worker, i) => {
    const manifest = manifests[i];
    if (!manifest) throw new Error(`no bundle for ${worker.name}`);
    const extra = { ...VAR_OVERRIDES[worker.name], ...secret.shared, ...secret.own[worker.name] };
    // The gateway is what clients reach; products gets a socket too, to measure it without the gateway.
    return realWorker(worker, manifest, extra, worker.name === "gateway" || worker.name === "products");
  });

  const gateway = workers.find((w) => w.config.name === "gateway");
  const stubs = gateway ? [gatewayStub(gateway)] : [];

  const config = [...workers, ...stubs, ...primitiveWorkers(primitive, compatibilityDate)];
  let generation = 0;
  const launch = async (): Promise<Stack> => {
    const state = join(dir, `state-${++generation}`);
    let lines = 0;
    const mf = new Miniflare({
      host: "127.0.0.1",
      port: 0,
      cf: false,
      logRequests: false,
      log: new NoOpLog(),
      // The workers' JSON request logs are produced (that cost is measured) and dropped here.
      handleStructuredLogs: () => {
        lines++;
      },
      resourcePersistencePath: state,
      ...(options.inspect ? { inspectorPort: 9229 } : {}),
      workers: config,
    });
    // Once only: a restart that fails after disposing this one leaves it as the stack that `stop()` ends, and a
    // second dispose must not hide the restart's error.
    let disposed: Promise<void> | undefined;
    const dispose = () => {
      disposed ??= mf.dispose().then(() => rm(state, { recursive: true, force: true }));
      return disposed;
    };
    try {
      await mf.ready;
      // Said for the first workerd only: a run restarts it before every line.
      const say = generation === 1 ? options.say : () => {};
      say("migrating and seeding");
      for (const worker of real) await migrate(mf, worker);
      const seeded: string[] = [];
      for (const service of SERVICES) if (await seed(mf, service)) seeded.push(service);
      say(`seeded: ${seeded.join(", ") || "nothing"}`);
      await setUpPrimitives(mf);
      const url = async (name: string) => (await mf.unsafeGetDirectURL(name)).href.replace(/\/$/, "");
      return {
        mf,
        urls: {
          gateway: await url("gateway"),
          gatewayStub: await url("gateway-stub"),
          products: await url("products"),
          bare: await url("prim-bare"),
          hono: await url("prim-hono"),
        },
        logLines: () => lines,
        restart: async () => {
          await dispose();
          return launch();
        },
        stop: async () => {
          await dispose();
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await dispose();
      throw error;
    }
  };
  return launch();
}
