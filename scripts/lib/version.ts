import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { run } from "./run";
import { ROOT, SERVICES } from "./workers";

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

/**
 * Sets `VERSION=<version>` in every service's `.dev.vars` (git-ignored, local only). In a multi-config
 * `wrangler dev`, `--var` reaches only the first worker (the gateway); the others read their own `.dev.vars`.
 */
export async function writeLocalVersion(version: string): Promise<void> {
  for (const service of SERVICES) {
    const path = `${ROOT}workers/${service}/.dev.vars`;
    const current = existsSync(path) ? await readFile(path, "utf8") : "";
    const others = current.split("\n").filter((line) => line !== "" && !line.startsWith("VERSION="));
    await writeFile(path, `${[...others, `VERSION='${version}'`].join("\n")}\n`, { mode: 0o600 });
  }
}
