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
    /** ORDER_TTL_MINUTES of the stack under test (see E2E_ORDER_TTL_MINUTES). */
    orderTtlMinutes: number;
    /** The stack's local state (every worker's D1 as SQLite files); "" against an external stack. */
    stateDir: string;
  }
}

/**
 * Unpaid orders expire after 1 minute in the e2e stack (30 in `pnpm dev`), so e2e/expiry.test.ts sees orders' cron
 * cancel one within ~2 minutes. Not shorter: the files share the stack, and every other test pays its orders within
 * seconds of placing them (a test times out after 60 s), so an expiry can never race a payment they make.
 */
const E2E_ORDER_TTL_MINUTES = 1;

let stack: Stack | undefined;
let state: string | undefined;

/** Starts the whole shop on a free port with a fresh, migrated and seeded local state. */
export async function setup(project: TestProject): Promise<void> {
  const external = process.env.E2E_BASE_URL;
  if (external) {
    project.provide("baseUrl", external);
    project.provide("stackLog", "");
    project.provide("orderTtlMinutes", Number(process.env.E2E_ORDER_TTL_MINUTES ?? 30));
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
    serviceVars: { orders: { ORDER_TTL_MINUTES: String(E2E_ORDER_TTL_MINUTES) } },
  });
  project.provide("baseUrl", stack.url);
  project.provide("stackLog", logFile);
  project.provide("orderTtlMinutes", E2E_ORDER_TTL_MINUTES);
  project.provide("stateDir", state);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  if (state) await rm(state, { recursive: true, force: true });
}
