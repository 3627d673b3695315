import { readdirSync, readFileSync } from "node:fs";

// CPU accounting from /proc (Linux): how busy workerd really was during a measurement. A scenario only
// measures the workers' cost when workerd's one thread is saturated (≈100% of a core); when it is not, the
// load generator or the machine was the bottleneck and the row says so.

const TICKS_PER_SECOND = 100;

function stat(pid: string): { ppid: number; comm: string; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    // After "(comm) ": state ppid … utime is field 14 and stime 15 of the whole line (11, 12 here).
    return { ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** Pids of the workerd processes started (directly or not) by this process. */
export function workerdPids(): string[] {
  const all = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  const parents = new Map<string, number>();
  const names = new Map<string, string>();
  for (const pid of all) {
    const s = stat(pid);
    if (!s) continue;
    parents.set(pid, s.ppid);
    names.set(pid, s.comm);
  }
  const descends = (pid: string): boolean => {
    for (let p = parents.get(pid), depth = 0; p !== undefined && p > 1 && depth < 10; depth++) {
      if (p === process.pid) return true;
      p = parents.get(String(p));
    }
    return false;
  };
  return all.filter((pid) => names.get(pid)?.includes("workerd") && descends(pid));
}

/** CPU seconds used so far by these processes. */
export function cpuSeconds(pids: string[]): number {
  return pids.reduce((sum, pid) => sum + (stat(pid)?.ticks ?? 0), 0) / TICKS_PER_SECOND;
}

const IDLE_SHARE = 0.1;
const SETTLE_STEP_MS = 250;

/**
 * Waits until these processes are idle (under 10 % of a core over a quarter second), at most `maxSeconds`: the
 * queue consumers a write scenario kept busy finish its events before anything else is measured. Answers the
 * seconds waited.
 */
export async function settle(pids: string[], maxSeconds = 30): Promise<number> {
  const started = Date.now();
  let before = cpuSeconds(pids);
  while (Date.now() - started < maxSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_STEP_MS));
    const now = cpuSeconds(pids);
    const share = (now - before) / (SETTLE_STEP_MS / 1000);
    before = now;
    if (share < IDLE_SHARE) break;
  }
  return (Date.now() - started) / 1000;
}
