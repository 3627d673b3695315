// `pnpm typecheck`: every package has its own tsconfig (workers get workers-types, scripts get node types).
import { readdirSync } from "node:fs";
import { run } from "./lib/run";
import { ROOT } from "./lib/workers";

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
