import { defineConfig } from "vitest/config";

// Every worker's tests run inside workerd with its own bindings; the deploy scripts' tests run in Node ("scripts");
// the e2e suite has its own config.
export default defineConfig({
  test: {
    projects: ["workers/*/vitest.config.ts", "packages/*/vitest.config.ts", "scripts/vitest.config.ts"],
  },
});
