// `pnpm deploy:dry-run`: bundles every worker as `wrangler deploy` would, so a config that cannot deploy fails the tests.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./lib/run";
import { ALL_CONFIGS, WRANGLER } from "./lib/workers";

const env = process.argv.includes("--env") ? process.argv[process.argv.indexOf("--env") + 1] : undefined;
const out = await mkdtemp(join(tmpdir(), "edge-shop-dry-run-"));
try {
  for (const config of ALL_CONFIGS) {
    const args = ["deploy", "--dry-run", "-c", config, "--outdir", join(out, config.replaceAll("/", "_"))];
    if (env) args.push("--env", env);
    await run(WRANGLER, args, { quiet: true, env: { WRANGLER_SEND_METRICS: "false" } });
    console.log(`dry-run ok: ${config}${env ? ` (--env ${env})` : ""}`);
  }
} finally {
  await rm(out, { recursive: true, force: true });
}
