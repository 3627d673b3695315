import { defineConfig } from "vitest/config";

// The bench harness's own tests (floors, rounds, together lines): plain Node, no workerd.
export default defineConfig({
  test: {
    name: "bench",
    environment: "node",
    root: new URL(".", import.meta.url).pathname,
    include: ["test/**/*.test.ts"],
  },
});
