import { randomBytes, webcrypto } from "node:crypto";
import type { WorkerOptions } from "miniflare";
import type { Manifest } from "./bundle.ts";
import type { WranglerWorker } from "./wrangler-config.ts";

// The workers one bench workerd runs: the shop's, each as deployed with the bench's vars and fresh secrets, the
// gateway once more in front of stubs, and the primitives (bench/primitives/worker.ts).

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

/**
 * Every worker of the stack: the shop's (`real`, bundled as `manifests`; the gateway and products on their own
 * sockets, products logging its D1 rows with `d1Stats`), the gateway's stub copy and the primitives.
 */
export async function stackWorkers(
  real: WranglerWorker[],
  manifests: Manifest[],
  primitive: Manifest,
  compatibilityDate: string,
  d1Stats: boolean,
): Promise<WorkerOptions[]> {
  const secret = await secrets();
  const workers = real.map((worker, i) => {
    const manifest = manifests[i];
    if (!manifest) throw new Error(`no bundle for ${worker.name}`);
    const stats: Record<string, string> = d1Stats && worker.name === "products" ? { D1_STATS: "1" } : {};
    const extra = { ...VAR_OVERRIDES[worker.name], ...secret.shared, ...secret.own[worker.name], ...stats };
    // The gateway is what clients reach; products gets a socket too, to measure it without the gateway.
    return realWorker(worker, manifest, extra, worker.name === "gateway" || worker.name === "products");
  });
  const gateway = workers.find((w) => w.config.name === "gateway");
  const stubs = gateway ? [gatewayStub(gateway)] : [];
  return [...workers, ...stubs, ...primitiveWorkers(primitive, compatibilityDate)];
}
