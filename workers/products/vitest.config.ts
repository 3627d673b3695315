import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, mergeConfig } from "vitest/config";
import shared, { d1Migrations, resolveFrom, TEST_SECRETS } from "../../vitest.shared.ts";

const here = resolveFrom(import.meta.url);

export default defineConfig(async () => {
  const migrations = await d1Migrations("products");
  return mergeConfig(shared, {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: here("./wrangler.toml") },
        miniflare: { bindings: { ...TEST_SECRETS, ...migrations.bindings } },
      }),
    ],
    // The catalog's property and plan tests load whole catalogs with fixed ids: each file gets fresh storage.
    test: { name: "products", setupFiles: migrations.setupFiles, isolate: true },
  });
});
