import { existsSync, rmSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare, NoOpLog } from "miniflare";
import { SERVICES } from "../../packages/contracts/src/services.ts";
import { bundleConfig, bundleSource, ROOT } from "./bundle.ts";
import { DEMO_SIZE } from "./catalog.ts";
import { prepareState } from "./stack-state.ts";
import { stackWorkers } from "./stack-workers.ts";
import { readWranglerWorker } from "./wrangler-config.ts";

/** The bench's client address: the gateway keys its rate limiter on CF-Connecting-IP. */
export const CLIENT_IP = "203.0.113.7";

export interface StackOptions {
  say: (line: string) => void;
  inspect?: boolean;
  /** Keep the state on disk (os.tmpdir()) instead of tmpfs. */
  disk?: boolean;
  /** `--catalog`: products log the D1 rows each request reads (D1_STATS), for the catalog lines. */
  d1Stats?: boolean;
}

/** Rows D1 read for the products service, by request route (`GET /api/categories`) or RPC (`rpc reserve`). */
export type D1Tallies = Record<string, { rows: number; calls: number }>;

export interface Stack {
  mf: Miniflare;
  /** Direct (proxy-free) URLs of the gateway and the primitive workers. */
  urls: { gateway: string; gatewayStub: string; products: string; bare: string; hono: string };
  /** Lines the workers logged (console.*), by a counter the bench reads to count log calls per request. */
  logLines(): number;
  /** D1 rows read so far, from the log lines that report them (only with `d1Stats`). */
  d1Tallies(): D1Tallies;
  /**
   * A fresh workerd: the same bundles, new state (a copy of the state as migrated and seeded, with a catalog of
   * `catalog` products: the demo's by default), new sockets.
   */
  restart(catalog?: number): Promise<Stack>;
  stop(): Promise<void>;
}

const D1_LINE = /"d1RowsRead":(\d+)/;

/** Adds a log line's D1 rows to `tallies` under its route or RPC method (lines without the field are skipped). */
export function tallyD1(tallies: D1Tallies, line: string): void {
  const rows = D1_LINE.exec(line)?.[1];
  if (rows === undefined) return;
  const record = JSON.parse(line) as { msg?: string; method?: string; route?: string };
  const key = record.msg === "rpc" ? `rpc ${record.method}` : `${record.method} ${record.route}`;
  const tally = tallies[key] ?? { rows: 0, calls: 0 };
  tallies[key] = { rows: tally.rows + Number(rows), calls: tally.calls + 1 };
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
    restart: async (catalog) => settled(await stack.restart(catalog)),
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
  const config = await stackWorkers(real, manifests, primitive, compatibilityDate, Boolean(options.d1Stats));
  let generation = 0;
  const miniflare = (state: string, logged: (line: string) => void) =>
    new Miniflare({
      host: "127.0.0.1",
      port: 0,
      cf: false,
      logRequests: false,
      log: new NoOpLog(),
      // The workers' JSON request logs are produced (that cost is measured) and dropped here.
      handleStructuredLogs: ({ message }) => logged(message),
      resourcePersistencePath: state,
      ...(options.inspect ? { inspectorPort: 9229 } : {}),
      workers: config,
    });
  // The state of a fresh workerd, migrated and seeded once per catalog size, then copied for every line: a
  // 50,000-product catalog loads once per run, not once per line.
  const templates = new Map<number, Promise<string>>();
  const template = (catalog: number) => {
    let ready = templates.get(catalog);
    if (!ready) {
      ready = (async () => {
        const state = join(dir, `template-${catalog}`);
        const mf = miniflare(state, () => {});
        try {
          await mf.ready;
          // Said for the first template only: a run copies it before every line.
          const say = templates.size === 1 ? options.say : () => {};
          await prepareState(mf, real, catalog, say, options.say);
        } finally {
          await mf.dispose();
        }
        return state;
      })();
      templates.set(catalog, ready);
    }
    return ready;
  };
  const launch = async (catalog: number): Promise<Stack> => {
    const state = join(dir, `state-${++generation}`);
    await cp(await template(catalog), state, { recursive: true });
    let lines = 0;
    const tallies: D1Tallies = {};
    const mf = miniflare(state, (line) => {
      lines++;
      tallyD1(tallies, line);
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
        d1Tallies: () => structuredClone(tallies),
        restart: async (next = DEMO_SIZE) => {
          await dispose();
          return launch(next);
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
  return launch(DEMO_SIZE);
}
