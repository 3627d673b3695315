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
  const migrations = await d1Migrations("carts");
  return mergeConfig(shared, {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: here("./wrangler.toml") },
        miniflare: {
          bindings: { ...TEST_SECRETS, ...migrations.bindings },
          queueConsumers: quickDeadLetters("carts-queue"),
          // A stand-in for the products worker (its ProductsRpc entrypoint): a catalog the tests set up.
          workers: [stubWorker("products", { scriptPath: here("./test/stubs/products.js") })],
        },
      }),
    ],
    test: { name: "carts", setupFiles: migrations.setupFiles },
  });
});
