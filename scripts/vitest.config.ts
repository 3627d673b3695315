import { defineConfig } from "vitest/config";

// The deploy scripts' tests: plain Node (they plan wrangler commands and read configs), not workerd.
export default defineConfig({
  test: {
    name: "scripts",
    environment: "node",
    root: new URL(".", import.meta.url).pathname,
    include: ["test/**/*.test.ts"],
    // One file imports wrangler to read the real configs: seconds on a busy machine.
    testTimeout: 60_000,
  },
});
