import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, mergeConfig } from "vitest/config";
import shared, {
  d1Migrations,
  quickDeadLetters,
  resolveFrom,
  stubWorker,
  TEST_SECRETS,
} from "../../vitest.shared.ts";

const here = resolveFrom(import.meta.url);

export default defineConfig(async () => {
  const migrations = await d1Migrations("orders");
  return mergeConfig(shared, {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: here("./wrangler.toml") },
        miniflare: {
          bindings: { ...TEST_SECRETS, ...migrations.bindings },
          queueConsumers: quickDeadLetters("orders-queue"),
          // Stand-ins for the products worker (its ProductsRpc entrypoint) with in-memory stock, and for the
          // carts worker (CartsRpc) with carts the tests put.
          workers: [
            stubWorker("products", { scriptPath: here("./test/stubs/products.js") }),
            stubWorker("carts", { scriptPath: here("./test/stubs/carts.js") }),
          ],
        },
      }),
    ],
    // Its maintenance tests sweep every pending order and outbox row: each file gets fresh storage.
    test: { name: "orders", setupFiles: migrations.setupFiles, isolate: true },
  });
});
