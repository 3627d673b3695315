// `pnpm deploy:dry-run [--env <env>]`: bundles every worker as `wrangler deploy` would, for the top level (the
// local config) and for the production environment (or only `--env <env>`), so a config that cannot deploy fails
// the tests. A wrangler warning fails it too: that is how wrangler reports a binding left out of an environment.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./lib/run";
import { ALL_CONFIGS, WRANGLER } from "./lib/workers";

const given = process.argv.includes("--env") ? process.argv[process.argv.indexOf("--env") + 1] : undefined;
// "" is wrangler's name for the top level; naming it explicitly also silences its "no environment given" warning.
const envs = given === undefined ? ["", "production"] : [given];
const label = (env: string) => (env ? `--env ${env}` : "top level");

// wrangler colours its warnings even into a pipe: compare without the escape sequences.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

const out = await mkdtemp(join(tmpdir(), "edge-shop-dry-run-"));
async function dryRun(config: string, env: string): Promise<void> {
  const outdir = join(out, `${config.replaceAll("/", "_")}-${env || "top"}`);
  const args = ["deploy", "--dry-run", "-c", config, "--env", env, "--outdir", outdir];
  const output = (
    await run(WRANGLER, args, { quiet: true, env: { WRANGLER_SEND_METRICS: "false" } })
  ).replace(ANSI, "");
  if (output.includes("[WARNING]")) throw new Error(`${config} (${label(env)}): wrangler warned:\n${output}`);
  console.log(`dry-run ok: ${config} (${label(env)})`);
}

const jobs = envs.flatMap((env) => ALL_CONFIGS.map((config) => () => dryRun(config, env)));
try {
  // Two at a time: bundling is CPU-bound and the machines have two cores.
  const workers = [0, 1].map(async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) await job();
  });
  await Promise.all(workers);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await rm(out, { recursive: true, force: true });
}
