import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const ROOT = new URL("../..", import.meta.url).pathname;

/** Runs `redocly lint` (rules from the root redocly.yaml) on a document; undefined when clean, else its report. */
export async function redoclyLint(document: unknown): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), "edge-shop-openapi-"));
  const file = join(dir, "openapi.json");
  try {
    await writeFile(file, JSON.stringify(document, null, 2));
    return await promisify(execFile)(`${ROOT}node_modules/.bin/redocly`, ["lint", file], {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    }).then(
      () => undefined,
      (error: { code?: number; stdout?: string; stderr?: string }) =>
        `redocly lint exited ${error.code}:\n${error.stdout ?? ""}\n${error.stderr ?? ""}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
