// Runs the project's pinned wrangler for the deploy scripts: `wranglerOutput` for list commands whose stdout is
// parsed, `wranglerLoud` for commands whose progress the user should see.
import { spawn } from "node:child_process";
import { run } from "./run";
import { ROOT, WRANGLER } from "./workers";

const ENV = { WRANGLER_SEND_METRICS: "false" };

/** The command as a person would type it, for logs and `--dry-run`. */
export const shown = (args: string[]) =>
  `wrangler ${args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)).join(" ")}`;

/** Runs wrangler and resolves with its stdout alone (stderr is passed through); rejects on a non-zero exit. */
export function wranglerOutput(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(WRANGLER, args, {
      cwd: ROOT,
      env: { ...process.env, ...ENV },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${shown(args)} exited with ${code}\n${stdout}`));
    });
  });
}

/** Runs wrangler with its output on the terminal; rejects on a non-zero exit. */
export async function wranglerLoud(args: string[]): Promise<void> {
  await run(WRANGLER, args, { env: ENV });
}
