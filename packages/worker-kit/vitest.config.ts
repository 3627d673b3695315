import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// worker-kit's own unit tests, inside workerd like the workers that use it (no bindings needed).
export default defineConfig({
  plugins: [cloudflareTest({ miniflare: { compatibilityDate: "2026-11-01" } })],
  test: { name: "worker-kit" },
});
