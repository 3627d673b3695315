import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

// worker-kit's own unit tests, inside workerd like the workers that use it (no bindings needed).
export default mergeConfig(
  shared,
  defineConfig({
    plugins: [cloudflareTest({ miniflare: { compatibilityDate: "2026-11-01" } })],
    test: { name: "worker-kit" },
  }),
);
