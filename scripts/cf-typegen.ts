// `pnpm cf-typegen [--check]`: each worker's `Env` from its wrangler config (`wrangler types`), written to
// `workers/<name>/worker-configuration.d.ts`. With --check (run by `pnpm typecheck`) it only fails when a file is
// stale, e.g. a binding added to a wrangler.toml without regenerating.
import { run } from "./lib/run";
import { WORKER_DIRS, WRANGLER } from "./lib/workers";

const check = process.argv.includes("--check");
// Runtime types come from @cloudflare/workers-types; vars are plain strings (tests and `--var` override them).
const flags = ["--include-runtime=false", "--strict-vars=false", ...(check ? ["--check"] : [])];
const stale: string[] = [];
for (const { config, dir } of WORKER_DIRS) {
  const out = `${dir}/worker-configuration.d.ts`;
  try {
    await run(WRANGLER, ["types", out, "-c", config, ...flags], {
      quiet: true,
      env: { WRANGLER_SEND_METRICS: "false" },
    });
    if (!check) console.log(`wrote ${out}`);
  } catch (error) {
    if (!check) throw error;
    stale.push(out);
  }
}
if (stale.length > 0) {
  console.error(`stale generated types (run \`pnpm cf-typegen\` and commit them): ${stale.join(", ")}`);
  process.exit(1);
}
if (check) console.log(`generated types up to date: ${WORKER_DIRS.length} workers`);
