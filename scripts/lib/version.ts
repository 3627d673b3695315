import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { run } from "./run";
import { ROOT, SERVICES, type Service } from "./workers";

/** The git sha of the working tree (`<sha>-dirty` when it has uncommitted changes), or `unknown` outside git. */
export async function gitVersion(): Promise<string> {
  try {
    const sha = (await run("git", ["rev-parse", "--short=12", "HEAD"], { quiet: true })).trim();
    const dirty = (await run("git", ["status", "--porcelain"], { quiet: true })).trim() !== "";
    return dirty ? `${sha}-dirty` : sha;
  } catch {
    return "unknown";
  }
}

// The lines a stack start owns in a service's .dev.vars are named in this marker line, rewritten each time.
const RUN_MARKER = "# set for the running stack by scripts/lib/stack.ts:";

/**
 * Sets `VERSION=<version>` and this run's overrides (`vars`, e.g. a short ORDER_TTL_MINUTES for the e2e stack)
 * in every service's `.dev.vars` (git-ignored, local only), replacing those of the previous start and keeping
 * every other line. In a multi-config `wrangler dev`, `--var` reaches only the first worker (the gateway); the
 * others read their own `.dev.vars`, once, when they start.
 */
export async function writeRunVars(
  version: string,
  vars: Partial<Record<Service, Record<string, string>>> = {},
): Promise<void> {
  for (const service of SERVICES) {
    const path = `${ROOT}workers/${service}/.dev.vars`;
    const lines = (existsSync(path) ? await readFile(path, "utf8") : "").split("\n");
    const marker = lines.find((line) => line.startsWith(RUN_MARKER));
    // VERSION alone, unmarked, is what earlier versions of this script wrote.
    const previous = new Set(["VERSION", ...(marker?.slice(RUN_MARKER.length).trim().split(/\s+/) ?? [])]);
    const own = lines.filter(
      (line) => line !== "" && line !== marker && !previous.has(line.split("=")[0] ?? ""),
    );
    const run = { VERSION: version, ...vars[service] };
    const block = [
      `${RUN_MARKER} ${Object.keys(run).join(" ")}`,
      ...Object.entries(run).map(([k, v]) => `${k}='${v}'`),
    ];
    await writeFile(path, `${[...own, ...block].join("\n")}\n`, { mode: 0o600 });
  }
}
