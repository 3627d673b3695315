import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The root run uses the repository root as cwd: resolve every path from this file.
const here = (path: string) => new URL(path, import.meta.url).pathname;

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: here("./wrangler.toml") },
      miniflare: {
        bindings: { TEST_MIGRATIONS: await readD1Migrations(here("../../migrations/products")) },
      },
    }),
  ],
  test: { name: "products", setupFiles: [here("./test/apply-migrations.ts")] },
}));
