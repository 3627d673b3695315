import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureDevVars } from "../scripts/lib/dev-vars";
import { migrateLocal, seedLocal } from "../scripts/lib/local-state";
import { freePort, type Stack, startStack } from "../scripts/lib/stack";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** Everything the stack's wrangler dev printed (the workers' log lines); "" against an external stack. */
    stackLog: string;
    /** The stack's local state (every worker's D1 as SQLite files); "" against an external stack. */
    stateDir: string;
  }
}

let stack: Stack | undefined;
let state: string | undefined;

/** Starts the whole shop on a free port with a fresh, migrated and seeded local state. */
export async function setup(project: TestProject): Promise<void> {
  const external = process.env.E2E_BASE_URL;
  if (external) {
    project.provide("baseUrl", external);
    project.provide("stackLog", "");
    project.provide("stateDir", "");
    return;
  }
  state = await mkdtemp(join(tmpdir(), "edge-shop-e2e-"));
  await ensureDevVars();
  await migrateLocal(state);
  await seedLocal(state);
  const logFile = join(state, "wrangler-dev.log");
  stack = await startStack({
    port: await freePort(),
    persistTo: state,
    quiet: true,
    host: "127.0.0.1",
    logFile,
  });
  project.provide("baseUrl", stack.url);
  project.provide("stackLog", logFile);
  project.provide("stateDir", state);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  if (state) await rm(state, { recursive: true, force: true });
}
