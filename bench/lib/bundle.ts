import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { WorkerConfig } from "./wrangler-config";

export type Manifest = NonNullable<WorkerConfig["manifest"]>;
type ModuleType = Manifest["modules"][string]["type"];

export const ROOT = new URL("../../", import.meta.url).pathname;
const WRANGLER = `${ROOT}node_modules/.bin/wrangler`;

function wrangler(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(WRANGLER, args, {
      cwd: ROOT,
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // If the bench exits mid-bundle (Ctrl-C), wrangler must not go on writing into the removed state folder.
    const kill = () => child.kill("SIGTERM");
    process.prependOnceListener("exit", kill);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      process.off("exit", kill);
      if (code === 0) resolve();
      else reject(new Error(`wrangler ${args.join(" ")} exited with ${code}\n${output}`));
    });
  });
}

const TYPES: Record<string, ModuleType> = {
  ".js": "esm",
  ".mjs": "esm",
  ".cjs": "cjs",
  ".wasm": "wasm",
  ".txt": "text",
  ".html": "text",
  ".json": "json",
  ".bin": "data",
};

async function manifestOf(outdir: string): Promise<Manifest> {
  const modules: Manifest["modules"] = {};
  for (const file of await readdir(outdir, { recursive: true })) {
    const dot = file.lastIndexOf(".");
    const type = dot >= 0 ? TYPES[file.slice(dot)] : undefined;
    if (!type || file === "README.md") continue;
    const path = join(outdir, file);
    modules[file] =
      type === "wasm" || type === "data"
        ? { type, contents: new Uint8Array(await readFile(path)) }
        : { type, contents: await readFile(path, "utf8") };
  }
  // wrangler names the entry after the source file: index.js for the services, worker.js for the bench's.
  const mainModule = Object.keys(modules).find((name) => !name.includes("/") && name.endsWith(".js"));
  if (!mainModule) throw new Error(`no bundled entry module in ${outdir}`);
  return { mainModule, modules };
}

/** Bundles a worker exactly as `wrangler deploy` would, without uploading it. */
export async function bundleConfig(configPath: string, outdir: string): Promise<Manifest> {
  await wrangler(["deploy", "--dry-run", "-c", configPath, "--outdir", outdir]);
  return manifestOf(outdir);
}

/** Bundles a bench-only worker source through a throwaway wrangler config written next to its output. */
export async function bundleSource(
  name: string,
  main: string,
  compatibilityDate: string,
  dir: string,
): Promise<Manifest> {
  const config = join(dir, `${name}.toml`);
  await writeFile(
    config,
    `name = "${name}"\nmain = "${main}"\ncompatibility_date = "${compatibilityDate}"\nworkers_dev = false\n`,
  );
  return bundleConfig(config, join(dir, name));
}
