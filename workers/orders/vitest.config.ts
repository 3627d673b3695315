import { readFile } from "node:fs/promises";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The root run uses the repository root as cwd: resolve every path from this file.
const here = (path: string) => new URL(path, import.meta.url).pathname;

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: here("./wrangler.toml") },
      miniflare: {
        bindings: { TEST_MIGRATIONS: await readD1Migrations(here("../../migrations/orders")) },
        // One retry instead of five, so a poison message reaches payment-events-dlq within seconds.
        queueConsumers: {
          "payment-events": { maxBatchTimeout: 1, maxRetries: 1, deadLetterQueue: "payment-events-dlq" },
        },
        // A stand-in for the products worker (its ProductsRpc entrypoint) with in-memory stock.
        workers: [
          {
            name: "products",
            modules: true,
            compatibilityDate: "2026-11-01",
            script: await readFile(here("./test/stubs/products.js"), "utf8"),
          },
        ],
      },
    }),
  ],
  test: { name: "orders", setupFiles: [here("./test/apply-migrations.ts")] },
}));
