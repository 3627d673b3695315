import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The root run uses the repository root as cwd: resolve every path from this file.
const here = (path: string) => new URL(path, import.meta.url).pathname;

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: here("./wrangler.toml") },
      miniflare: {
        bindings: { TEST_MIGRATIONS: await readD1Migrations(here("../../migrations/payments")) },
        // A stand-in for the orders worker so the ORDERS service binding resolves.
        workers: [
          {
            name: "orders",
            modules: true,
            compatibilityDate: "2026-11-01",
            script: `import { WorkerEntrypoint } from "cloudflare:workers";
export class OrdersRpc extends WorkerEntrypoint {}
export default { fetch: () => new Response("stub") };`,
          },
        ],
      },
    }),
  ],
  test: { name: "payments", setupFiles: [here("./test/apply-migrations.ts")] },
}));
