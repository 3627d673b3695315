import { defineConfig } from "vitest/config";
import { ExpiryLastSequencer } from "./sequencer";

const here = (path: string) => new URL(path, import.meta.url).pathname;

// One real stack (every worker in one `wrangler dev`) for the whole suite, driven over HTTP like any client.
export default defineConfig({
  test: {
    name: "e2e",
    dir: here("."),
    include: ["**/*.test.ts"],
    globalSetup: [here("./global-setup.ts")],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The files share one stack on a 2-core machine: run them one after another.
    fileParallelism: false,
    sequence: { sequencer: ExpiryLastSequencer },
    // The deletion test reads the stack's D1 files with node:sqlite, which Node 22 still calls experimental.
    execArgv: ["--disable-warning=ExperimentalWarning"],
  },
});
