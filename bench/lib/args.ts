import { parseArgs } from "node:util";

export interface BenchOptions {
  seconds: number;
  warmup: number;
  /** How many times every scenario is measured, in alternating order; the report pools the rounds. */
  rounds: number;
  connections: number;
  only: RegExp | undefined;
  quick: boolean;
  inspect: boolean;
  /** Record workerd with Linux perf during each measurement. */
  profile: boolean;
  disk: boolean;
  outDir: string;
  /** `--catalog N`: the catalog lines, each measured on the demo catalog and on one of N products. */
  catalog: number | undefined;
}

export const USAGE = `pnpm bench [-- options]

  --quick              1 round, 1 s per scenario after 1 s of warm-up (about 4 minutes in all); results go to
                       bench/results/tmp/
  --rounds N           measure everything N times, every line on a fresh workerd, in alternating order
                       (primitives then the shop, then the shop backwards then the primitives backwards, …), and
                       pool each line's rounds (default 4: the whole run takes about 27 minutes)
  --seconds N          measured seconds per scenario and round (autocannon rounds up to whole seconds) (default 4)
  --warmup N           unmeasured seconds before each scenario (default 2)
  --connections N      concurrent connections of the load generator (default 16)
  --only REGEX         run only the scenarios whose id matches (e.g. 'primitive|catalog'); results to tmp/
  --catalog N          the catalog lines (list and search shapes, categories, writes), each measured on the demo
                       catalog and on one of N products (the demo's and generated ones, deterministic, loaded
                       once per run), with the D1 rows each request reads; they run only in this mode
  --disk               keep D1/KV/Durable Object state in os.tmpdir() instead of tmpfs (/dev/shm): adds the
                       disk's fsync latency to every write, as under wrangler dev
  --out DIR            where latest.json, latest.md and latest.svg go (default bench/results)
  --inspect            open workerd's inspector on 127.0.0.1:9229 (debugging; its CPU profiler samples the wrong
                       thread in workerd, so profile with --profile instead)
  --profile            record workerd with Linux perf (linux-perf) during each measurement, JavaScript frames
                       named (V8 --perf-basic-prof): writes bench/results/tmp/profiles/<scenario>.perf.data and
                       prints JavaScript's share of the thread and the busiest functions and symbols
`;

/** Parses the command line (pnpm passes a lone "--" through: it is ignored). */
export function parseOptions(argv: string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--"),
    options: {
      quick: { type: "boolean", default: false },
      seconds: { type: "string" },
      rounds: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      only: { type: "string" },
      out: { type: "string" },
      inspect: { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      disk: { type: "boolean", default: false },
      catalog: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return undefined;
  const number = (value: string | undefined, fallback: number, name: string) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const quick = values.quick ?? false;
  const only = values.only ? new RegExp(values.only) : undefined;
  const root = new URL("../results/", import.meta.url).pathname;
  return {
    quick,
    seconds: number(values.seconds, quick ? 1 : 4, "seconds"),
    // Profiles are of one measurement each: a profiled run is one round.
    rounds: Math.round(number(values.rounds, quick || values.profile ? 1 : 4, "rounds")),
    warmup: number(values.warmup, quick ? 1 : 2, "warmup"),
    connections: number(values.connections, 16, "connections"),
    only,
    disk: values.disk ?? false,
    profile: values.profile ?? false,
    inspect: values.inspect ?? false,
    // Partial or quick runs never overwrite the committed results; a catalog run has its own.
    outDir: values.out ?? (quick || only ? `${root}tmp/` : values.catalog ? `${root}catalog/` : root),
    catalog: values.catalog === undefined ? undefined : Math.round(number(values.catalog, 0, "catalog")),
  };
}
