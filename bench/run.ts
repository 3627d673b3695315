// `pnpm bench`: the real workers and the runtime's primitives in one workerd, driven by autocannon.
// See bench/README.md for what is measured and how to read it.
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { parseOptions, USAGE } from "./lib/args.ts";
import { ROOT } from "./lib/bundle.ts";
import { DEMO_SIZE } from "./lib/catalog.ts";
import { chart } from "./lib/chart.ts";
import { costsOf, derive, type Measurement, measure, type Row } from "./lib/measure.ts";
import { workerdPids } from "./lib/proc.ts";
import { assertPerf, PERF_V8_FLAGS } from "./lib/profile.ts";
import { consoleReport, markdownReport, verdicts } from "./lib/report.ts";
import { pooledRows, roundOrder } from "./lib/rounds.ts";
import { type Stack, startStack } from "./lib/stack.ts";
import { CATALOG_SHAPES, catalogLineId, catalogScenario } from "./scenarios/catalog.ts";
import { prepareCatalog } from "./scenarios/catalog-setup.ts";
import { primitiveScenarios } from "./scenarios/primitives.ts";
import { SHOP_SCENARIO_IDS, shopScenarios } from "./scenarios/shop.ts";
import { prepareShop } from "./scenarios/shop-setup.ts";
import type { Scenario } from "./scenarios/types.ts";

const options = parseOptions(process.argv.slice(2));
if (!options) {
  console.log(USAGE);
  process.exit(0);
}

const started = Date.now();
const say = (line: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
const load = () => loadavg().map((n) => Number(n.toFixed(2)));
const loadAtStart = load();
say(`load average ${loadAtStart.join(" ")} on ${cpus().length} cores`);
if ((loadAtStart[0] ?? 0) > 1.5) say("the machine is busy: numbers will be low and noisy (see README)");

const version = async (pkg: string) =>
  (JSON.parse(await readFile(`${ROOT}node_modules/${pkg}/package.json`, "utf8")) as { version: string })
    .version;
const miniflareVersion = await version("miniflare");
const workerdVersion = (
  JSON.parse(await readFile(`${ROOT}node_modules/miniflare/package.json`, "utf8")) as {
    dependencies: Record<string, string>;
  }
).dependencies.workerd;
let commit = "unknown";
try {
  commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString().trim();
} catch {
  // not a git checkout: keep "unknown"
}

// Ctrl-C must not leave workerd running or its state in tmpfs (memory); the state folder also goes on exit.
let running: Stack | undefined;
const interrupt = (signal: NodeJS.Signals) => {
  say(`${signal}: stopping workerd and removing its state`);
  (running?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
};
process.once("SIGINT", interrupt);
process.once("SIGTERM", interrupt);
if (options.profile) {
  assertPerf();
  // Read by Miniflare when it writes workerd's config: V8 then names JavaScript frames for perf.
  process.env.MINIFLARE_WORKERD_V8_FLAGS = PERF_V8_FLAGS;
}
const catalog = options.catalog;
if (catalog !== undefined && catalog <= DEMO_SIZE) {
  throw new Error(`--catalog must be larger than the demo catalog (${DEMO_SIZE} products)`);
}
let stack = await startStack({
  say,
  inspect: options.inspect,
  disk: options.disk,
  d1Stats: catalog !== undefined,
});
running = stack;
const rounds: Measurement[][] = [];
const wanted = (id: string) => !options.only || options.only.test(id);
const isShop = (id: string) => (SHOP_SCENARIO_IDS as readonly string[]).includes(id);
// The shop's lines on the stack they run on (its own admin, product and shoppers).
const shopLinesOf = async (on: Stack): Promise<Scenario[]> => {
  const data = await prepareShop(on.urls.gateway, 4);
  return shopScenarios(data, options.connections).filter((s) => wanted(s.id));
};
// The catalog lines (`--catalog N`): every shape on the demo catalog and on N products, each built on the stack
// it runs on (its own admin, shopper and cursors). They alone run in this mode.
const catalogLines = (): Scenario[] => {
  if (catalog === undefined) return [];
  const empty = { adminToken: "", shopperToken: "", hotProductId: "", productIds: [], cursors: [] };
  return CATALOG_SHAPES.flatMap((shape) =>
    [DEMO_SIZE, catalog].map((size) => catalogScenario(shape, size, empty, options.connections)),
  ).filter((s) => wanted(s.id));
};
const catalogLineOn = async (on: Stack, line: Scenario): Promise<Scenario> => {
  const shape = CATALOG_SHAPES.find((s) => catalogLineId(s.shape, line.catalog?.size ?? 0) === line.id);
  if (!shape || !line.catalog) return line;
  const data = await prepareCatalog(on.urls.gateway, { cursors: shape.cursors ?? 0 });
  return catalogScenario(shape, line.catalog.size, data, options.connections);
};
const runnerOf = (on: Stack) => {
  const pids = workerdPids();
  if (pids.length === 0) say("workerd's process was not found: the CPU columns will read 0");
  return {
    urls: on.urls,
    mf: on.mf,
    pids,
    logLines: on.logLines,
    d1Tallies: on.d1Tallies,
    seconds: options.seconds,
    warmup: options.warmup,
    profile: { enabled: options.profile, dir: `${ROOT}bench/results/tmp/profiles/` },
    say,
  };
};
// Every line is measured on a fresh workerd with fresh state (migrated, seeded, the shop's data prepared again):
// a workerd that has run the shop is slower at everything afterwards, primitives included (one grew by ~1.5 GB
// over a run, not in the workers' V8 heaps; the primitives measured after the shop in the same process cost
// 15–40 % more than those measured before it), so a shared process made every result depend on what ran first.
// The lines (ids, floors, order) are the ones built on the first stack; each shop line is built again on its own.
const primitives =
  catalog === undefined ? primitiveScenarios(options.connections).filter((s) => wanted(s.id)) : [];
const shopWanted =
  catalog === undefined && SHOP_SCENARIO_IDS.some((id) => wanted(id) || wanted(`together:${id}`));
const scenarios: Scenario[] = [
  ...primitives,
  ...(shopWanted ? await shopLinesOf(stack) : []),
  ...catalogLines(),
];
try {
  const report = (title: string, row: Row) =>
    say(
      `${title}: ${Math.round(row.rps)} req/s, p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms, ` +
        `workerd ${Math.round(row.workerdCpu * 100)}% CPU, ${row.errors} errors${row.errorSamples[0] ? ` (${row.errorSamples[0]})` : ""}`,
    );
  let fresh = true;
  for (let round = 1; round <= options.rounds; round++) {
    if (options.rounds > 1) say(`round ${round} of ${options.rounds}`);
    const measured: Measurement[] = [];
    for (const line of roundOrder(scenarios, round)) {
      let scenario = line;
      // A catalog line always gets its own workerd, on its catalog size (the first stack holds the demo's).
      if (!fresh || line.catalog) {
        stack = await stack.restart(line.catalog?.size);
        running = stack;
        if (isShop(line.id)) scenario = (await shopLinesOf(stack)).find((s) => s.id === line.id) ?? line;
        if (line.catalog) scenario = await catalogLineOn(stack, line);
      }
      fresh = false;
      const measurement = await measure(runnerOf(stack), scenario);
      measured.push(measurement);
      report(scenario.title, measurement.row);
    }
    // Each round's own efficiencies, listed in the report to show the spread.
    derive(
      measured.map((m) => m.row),
      scenarios,
    );
    rounds.push(measured);
  }
} finally {
  await stack.stop();
}

const rows = pooledRows(rounds);
derive(rows, scenarios);
const { costs, cpuCosts } = costsOf(rows, scenarios);
const loadAtEnd = load();
const mode =
  catalog === undefined
    ? ""
    : `; catalog lines on the demo catalog (${DEMO_SIZE} products) and on ${catalog.toLocaleString("en-US")} products`;
const settings =
  options.rounds > 1
    ? `${options.rounds} rounds of ${options.seconds} s per line, each on a fresh workerd, after ${options.warmup} s of warm-up, pooled, ${options.connections} connections (argon2id and login: 2)`
    : `${options.seconds} s per line, each on a fresh workerd, after ${options.warmup} s warm-up, ${options.connections} connections (argon2id and login: 2)`;
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, load average ${loadAtStart[0]} at start, ${loadAtEnd[0]} at end`;
const header = [
  `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at ${commit}: ${settings}${mode}.`,
  `${machine}; workerd ${workerdVersion} (miniflare ${miniflareVersion}), Node ${process.version}, autocannon 9.0.0.`,
  "Latencies are raw (no coordinated-omission correction), as autocannon measures them, kept at µs resolution.",
].join("  \n");

console.log(`\n${consoleReport(rows)}\n`);
await mkdir(options.outDir, { recursive: true });
const json = {
  generatedAt: new Date().toISOString(),
  commit,
  settings: { ...options, only: options.only?.source ?? null },
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? null,
    loadAtStart,
    loadAtEnd,
    node: process.version,
  },
  versions: { workerd: workerdVersion, miniflare: miniflareVersion, autocannon: "9.0.0" },
  primitiveCostsUs: costs,
  primitiveCpuCostsUs: cpuCosts,
  rows,
  verdicts: verdicts(rows),
};
await writeFile(`${options.outDir}latest.json`, `${JSON.stringify(json, null, 2)}\n`);
await writeFile(`${options.outDir}latest.md`, markdownReport(rows, header));
await writeFile(`${options.outDir}latest.svg`, chart(rows, `${commit} · ${settings} · ${machine}`));
say(`wrote ${options.outDir}latest.{json,md,svg}`);
