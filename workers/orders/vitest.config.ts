import { readFile } from "node:fs/promises";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, mergeConfig } from "vitest/config";
import shared, { d1Migrations, resolveFrom, TEST_SECRETS } from "../../vitest.shared.ts";

const here = resolveFrom(import.meta.url);

export default defineConfig(async () => {
  const migrations = await d1Migrations("orders");
  return mergeConfig(shared, {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: here("./wrangler.toml") },
        miniflare: {
          bindings: { ...TEST_SECRETS, ...migrations.bindings },
          // One retry instead of five, so a poison message reaches orders-queue-dlq within seconds.
          queueConsumers: {
            "orders-queue": { maxBatchTimeout: 1, maxRetries: 1, deadLetterQueue: "orders-queue-dlq" },
          },
          // Stand-ins for the products worker (its ProductsRpc entrypoint) with in-memory stock, and for the
          // carts worker (CartsRpc) with carts the tests put.
          workers: [
            {
              name: "products",
              modules: true,
              compatibilityDate: "2026-11-01",
              script: await readFile(here("./test/stubs/products.js"), "utf8"),
            },
            {
              name: "carts",
              modules: true,
              compatibilityDate: "2026-11-01",
              script: await readFile(here("./test/stubs/carts.js"), "utf8"),
            },
          ],
        },
      }),
    ],
    test: { name: "orders", setupFiles: migrations.setupFiles },
  });
});
