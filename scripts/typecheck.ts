// `pnpm typecheck`: first that every worker's generated `Env` matches its wrangler config, then every package with
// its own tsconfig (workers get workers-types and their worker-configuration.d.ts, scripts get node types).
import { readdirSync } from "node:fs";
import { run } from "./lib/run";
import { ROOT } from "./lib/workers";

try {
  await run(`${ROOT}node_modules/.bin/tsx`, ["scripts/cf-typegen.ts", "--check"]);
} catch {
  process.exit(1);
}

const projects = [
  ...readdirSync(`${ROOT}packages`).map((p) => `packages/${p}`),
  ...readdirSync(`${ROOT}workers`).map((w) => `workers/${w}`),
  "scripts",
];
const failed: string[] = [];
for (const project of projects) {
  try {
    await run(`${ROOT}node_modules/.bin/tsc`, ["--noEmit", "-p", project]);
  } catch {
    failed.push(project);
  }
}
if (failed.length > 0) {
  console.error(`typecheck failed in: ${failed.join(", ")}`);
  process.exit(1);
}
console.log(`typecheck clean: ${projects.length} projects`);
