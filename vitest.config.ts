import { defineConfig } from "vitest/config";

// Every worker's tests run inside workerd with its own bindings (their configs merge vitest.shared.ts); the
// scripts' and the bench's tests run in Node; the e2e suite has its own config.
export default defineConfig({
  test: {
    projects: [
      "workers/*/vitest.config.ts",
      "packages/*/vitest.config.ts",
      "scripts/vitest.config.ts",
      "bench/vitest.config.ts",
    ],
    // A passing test's log lines are noise; a failing one's are shown with it.
    silent: "passed-only",
  },
});
