// `pnpm run deploy --env staging|production [--only <worker>]… [--dry-run]`
// (`pnpm deploy` without `run` is pnpm's own command: keep the `run`.)
//
// Deploys the shop: for each worker, in service-binding order (users, products, notifications, carts, orders,
// payments, then the gateway, which binds them all), apply its D1 migrations remotely, then `wrangler deploy` it.
// `pnpm --filter @edge-shop/<worker> run deploy --env <env>` deploys one worker the same way (its package.json
// passes --only). Refuses configs that still hold placeholders (unprovisioned ids, example.com routes).
//   --only <worker>  deploy only this worker (repeatable): users, products, orders, payments, notifications, carts,
//                    gateway
//   --dry-run        print the commands, run nothing (placeholders are reported, not fatal)
import { parseArgs } from "node:util";
import { deployCommands, deployOrder, preflightProblems } from "./lib/deploy-plan";
import { loadShop, parseEnvironment, WORKER_IDS } from "./lib/shop-config";
import { gitVersion } from "./lib/version";
import { shown, wranglerLoud } from "./lib/wrangler-cli";

const { values } = parseArgs({
  options: {
    env: { type: "string" },
    only: { type: "string", multiple: true, default: [] },
    "dry-run": { type: "boolean", default: false },
  },
  strict: true,
});

try {
  const env = parseEnvironment(values.env);
  const unknown = values.only.filter((id) => !WORKER_IDS.some((w) => w === id));
  if (unknown.length > 0)
    throw new Error(`--only takes ${WORKER_IDS.join(", ")} (got ${unknown.join(", ")})`);
  // The order is computed over the whole shop, so one worker's deploy still checks every binding's target.
  const ordered = deployOrder(await loadShop(env));
  const selected = values.only.length > 0 ? ordered.filter((w) => values.only.includes(w.id)) : ordered;
  const dryRun = values["dry-run"];

  const problems = preflightProblems(selected, env);
  if (problems.length > 0) {
    console.error(`${dryRun ? "warning" : "deploy refused"}: placeholders in the ${env} config:`);
    for (const p of problems) console.error(`  - ${p}`);
    if (!dryRun) process.exit(1);
  }

  // Every worker reports the commit it was built from (VERSION, shown by GET /api/admin/status).
  const version = await gitVersion();
  console.log(`deploy ${env}: ${selected.map((w) => w.name).join(" → ")}${dryRun ? " (dry run)" : ""}`);
  for (const worker of selected) {
    console.log(`\n▶ ${worker.name} (${worker.configPath})`);
    for (const args of deployCommands(worker, env, version)) {
      console.log(`$ ${shown(args)}`);
      if (!dryRun) await wranglerLoud(args);
    }
  }
  console.log(`\n${dryRun ? "would deploy" : "deployed"}: ${selected.map((w) => w.name).join(", ")}`);
} catch (error) {
  console.error(`deploy: ${(error as Error).message}`);
  process.exit(1);
}
