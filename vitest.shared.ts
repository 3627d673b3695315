import { readFile } from "node:fs/promises";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig, type Plugin } from "vitest/config";

const fromRoot = (path: string) => new URL(path, import.meta.url).pathname;

/**
 * What every worker's tests share: each worker's vitest.config.ts merges it (`mergeConfig`) with its own
 * `cloudflareTest` options, as workers-sdk's fixtures do.
 */
/**
 * The `stripe` package ships source maps without their sources, and Vite warns about each of its ~150 files
 * when it loads one for a worker's tests: its files are loaded without the map (passing tests print nothing).
 */
function withoutStripeSourceMaps(): Plugin {
  return {
    name: "without-stripe-source-maps",
    async load(id) {
      if (!/\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?stripe\/.*\.js$/.test(id)) return null;
      const code = await readFile(id.split("?")[0] ?? id, "utf8");
      return { code: code.replace(/^\/\/# sourceMappingURL=.*$/m, ""), map: null };
    },
  };
}

export default defineConfig({
  plugins: [withoutStripeSourceMaps()],
  test: {
    // Cold isolates, argon2id and several projects sharing two cores make a slow test legitimate here.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One runtime for all of a worker's test files, not a fresh one per file: the suite runs in about half the
    // time. The files share the worker's storage then (each makes its data unique); a file that cannot opts out.
    isolate: false,
  },
});

/** Secrets every worker's tests bind (deployed values come from `wrangler secret put`, local ones from .dev.vars). */
export const TEST_SECRETS = { IDENTITY_SECRET: "identity-secret-of-the-tests" };

/** Resolves paths relative to a worker's config file (`import.meta.url`): the root run uses the root as cwd. */
export const resolveFrom = (configUrl: string) => (path: string) => new URL(path, configUrl).pathname;

/**
 * What applies `migrations/<service>` to the worker's `env.DB` before its tests: spread `bindings` into
 * miniflare's bindings and `setupFiles` into the test options.
 */
export async function d1Migrations(service: string) {
  return {
    bindings: { TEST_MIGRATIONS: await readD1Migrations(fromRoot(`migrations/${service}`)) },
    setupFiles: [fromRoot("packages/worker-kit/testing/apply-d1-migrations.ts")],
  };
}

/**
 * A stand-in for another worker that a service binding names (`name`), as an ES module: `script` (source) or
 * `scriptPath`; `bindings` are its own vars.
 */
export function stubWorker(
  name: string,
  source: { script: string } | { scriptPath: string },
  bindings?: Record<string, string>,
) {
  return {
    name,
    modules: true,
    compatibilityDate: "2026-11-01",
    ...source,
    ...(bindings ? { bindings } : {}),
  };
}

/** The queue's consumer with one retry instead of five, so a poison message reaches `<queue>-dlq` within seconds. */
export function quickDeadLetters(queue: string) {
  return { [queue]: { maxBatchTimeout: 1, maxRetries: 1, deadLetterQueue: `${queue}-dlq` } };
}
