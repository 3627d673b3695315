import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { cronTriggers, dispatchScheduled, scheduleCrons } from "./crons";
import { gitVersion, writeRunVars } from "./version";
import { ALL_CONFIGS, ROOT, type Service, WRANGLER } from "./workers";

export interface Stack {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
  /** The last 20 kB wrangler printed (with `quiet`); `logFile` keeps all of it. */
  readonly output: string;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/health`);
      const body = (await response.json()) as { status?: string };
      if (body.status === "OK") return;
      last = JSON.stringify(body);
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the shop did not become healthy within ${timeoutMs} ms: ${last}`);
}

/**
 * Starts every worker in one `wrangler dev` (multi-config; the gateway is served on `port`) with local state in
 * `persistTo`, resolves once `/health` says every service is OK, and from then on fires every worker's cron
 * triggers (scripts/lib/crons.ts), one line per run.
 */
export async function startStack(options: {
  port: number;
  persistTo: string;
  quiet?: boolean;
  /** Interface to listen on; the URL uses it too (`localhost` for people, `127.0.0.1` for tests). */
  host?: string;
  /** The gateway's vars (`--var`). */
  vars?: Record<string, string>;
  /** Vars of the services for this run (written to their .dev.vars, removed again by `stop()`). */
  serviceVars?: Partial<Record<Service, Record<string, string>>>;
  timeoutMs?: number;
  /** With `quiet`: also append everything wrangler prints (the workers' JSON log lines) to this file. */
  logFile?: string;
  /** Shown by GET /api/admin/status as every worker's version; default: the git sha of the working tree. */
  version?: string;
}): Promise<Stack> {
  const inspectorPort = await freePort();
  const args = ["dev", ...ALL_CONFIGS.flatMap((c) => ["-c", c]), "--port", String(options.port)];
  const host = options.host ?? "localhost";
  args.push("--ip", host, "--persist-to", options.persistTo, "--inspector-port", String(inspectorPort));
  args.push("--show-interactive-dev-session=false");
  const version = options.version ?? (await gitVersion());
  // `--var` reaches the gateway (the first config) only; the services read VERSION from their .dev.vars.
  await writeRunVars(version, options.serviceVars);
  args.push("--var", `VERSION:${version}`);
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push("--var", `${name}:${value}`);
  const child = spawn(WRANGLER, args, {
    cwd: ROOT,
    // The Local Explorer API (on by default) is how the cron triggers reach each worker. Its own dev registry:
    // wrangler's default one is shared by every `wrangler dev` on the machine, so a second stack (e2e beside
    // `pnpm dev`, parallel CI jobs) would otherwise receive this stack's cron dispatches.
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CI: "true",
      X_LOCAL_EXPLORER: "true",
      WRANGLER_REGISTRY_PATH: join(options.persistTo, "dev-registry"),
    },
    stdio: ["ignore", options.quiet ? "pipe" : "inherit", options.quiet ? "pipe" : "inherit"],
    detached: true,
  });
  let output = "";
  const log = options.logFile ? createWriteStream(options.logFile, { flags: "a" }) : undefined;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    log?.write(chunk);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.once("exit", () => log?.end());
  const url = `http://${host}:${options.port}`;
  const say = (line: string) => (options.quiet ? keep(Buffer.from(`${line}\n`)) : console.log(line));
  let crons: { stop(): void } | undefined;
  const stopWrangler = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.pid === undefined) return resolve();
      child.once("exit", () => resolve());
      // The whole process group: wrangler and the workerd it started.
      process.kill(-child.pid, "SIGTERM");
      setTimeout(() => {
        if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      }, 5000).unref();
    });
  const stop = async () => {
    crons?.stop();
    await stopWrangler();
    // This run's service vars must not outlive it (the next `pnpm dev` would read them).
    if (options.serviceVars) await writeRunVars(version);
  };
  try {
    await waitForHealth(url, child, options.timeoutMs ?? 90_000);
    const triggers = await cronTriggers(ALL_CONFIGS.map((config) => `${ROOT}${config}`));
    crons = scheduleCrons(triggers, (trigger, time) => dispatchScheduled(url, trigger, time), say);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- wrangler output ---\n${output}`);
  }
  return {
    url,
    process: child,
    stop,
    get output() {
      return output;
    },
  } as Stack;
}
