// CPU profiles of workerd while a scenario runs, with Linux `perf` (Debian: linux-perf): `pnpm bench --
// --profile --only catalog-hit`. V8 runs with --perf-basic-prof (MINIFLARE_WORKERD_V8_FLAGS), so JavaScript
// frames carry their names next to workerd's own C++ symbols. The inspector's Profiler does not work for this:
// workerd's V8 profiler samples the inspector's thread, not the one that runs the workers, so its profiles
// hold nothing but idle samples.
import { execFile, spawn, spawnSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

/** What workerd's V8 needs to name JavaScript frames for perf. */
export const PERF_V8_FLAGS = "--perf-basic-prof";

/** Throws when `perf` cannot be run here. */
export function assertPerf(): void {
  const probe = spawnSync("perf", ["--version"], { encoding: "utf8" });
  if (probe.status !== 0) throw new Error("--profile needs Linux perf (Debian: apt-get install linux-perf)");
}

interface Line {
  share: number;
  symbol: string;
}

async function report(file: string, children: boolean): Promise<Line[]> {
  const { stdout } = await run(
    "perf",
    [
      "report",
      "-i",
      file,
      children ? "--children" : "--no-children",
      "--sort",
      "sym",
      "--stdio",
      "-g",
      "none",
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const lines: Line[] = [];
  for (const text of stdout.split("\n")) {
    // "    12.34%     0.05%  [.] symbol" (children) or "    12.34%  [.] symbol" (self)
    const match = /^\s+([\d.]+)%\s+(?:[\d.]+%\s+)?\[[.k]\]\s+(.*)$/.exec(text);
    if (match?.[1] && match[2]) lines.push({ share: Number(match[1]), symbol: match[2].trim() });
  }
  return lines;
}

const format = (l: Line) => `${l.share.toFixed(1).padStart(5)}%  ${l.symbol.slice(0, 110)}`;

/** Summarises a recording: how much of the thread ran JavaScript, the busiest functions and symbols. */
async function summarise(file: string): Promise<string[]> {
  const self = await report(file, false);
  const inclusive = await report(file, true);
  const js = (l: Line) => l.symbol.startsWith("JS:");
  const jsSelf = self.filter(js).reduce((sum, l) => sum + l.share, 0);
  return [
    `  perf: ${file}`,
    `  JavaScript's own time: ${jsSelf.toFixed(1)} % of workerd's samples (the rest: the runtime, V8, GC, kernel)`,
    "  busiest JavaScript (inclusive of what it calls synchronously):",
    ...inclusive
      .filter(js)
      .slice(0, 12)
      .map((l) => `  ${format(l)}`),
    "  busiest symbols (self):",
    ...self.slice(0, 12).map((l) => `  ${format(l)}`),
  ];
}

/** Starts `perf record` on the given processes; the returned function stops it and summarises. */
export async function startPerf(
  pids: string[],
  dir: string,
  label: string,
): Promise<() => Promise<string[]>> {
  await mkdir(dir, { recursive: true });
  const file = `${dir}${label}.perf.data`;
  const perf = spawn("perf", ["record", "-F", "999", "-g", "-p", pids.join(","), "-o", file], {
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => perf.once("exit", () => resolve()));
  return async () => {
    perf.kill("SIGINT");
    await exited;
    return summarise(file);
  };
}
