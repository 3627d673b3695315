// CPU profiles of chosen workers while a scenario runs, over workerd's inspector (Chrome DevTools Protocol):
// `pnpm bench -- --profile products,gateway --only catalog-hit`. Each worker is its own isolate and its own
// inspector target; the profiles are written as .cpuprofile (open them in Chrome DevTools or VS Code) and
// summarised by self time.
import { mkdir, writeFile } from "node:fs/promises";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

class Session {
  #next = 1;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      const waiter = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (!waiter || message.id === undefined) return;
      this.#pending.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
  }

  static open(url: string): Promise<Session> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener("open", () => resolve(new Session(socket)));
      socket.addEventListener("error", () => reject(new Error(`cannot open ${url}`)));
    });
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.#next++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
  }

  close(): void {
    this.socket.close();
  }
}

const IDLE = new Set(["(idle)", "(program)", "(garbage collector)"]);

/** Self time per function (ms), largest first. */
export function selfTimes(profile: CpuProfile): { name: string; ms: number; share: number }[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let all = 0;
  samples.forEach((id, i) => {
    const frame = byNode.get(id);
    const us = deltas[i + 1] ?? deltas[i] ?? 0;
    if (!frame) return;
    const file = frame.url.split("/").pop() ?? "";
    const name = `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
    totals.set(name, (totals.get(name) ?? 0) + us);
    all += us;
  });
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / Math.max(1, all) }));
}

/** Starts profiling the given workers; the returned function stops, writes and summarises. */
export async function startProfiles(
  inspector: string,
  workers: string[],
): Promise<(label: string, dir: string) => Promise<string[]>> {
  const sessions = await Promise.all(
    // A plain name is a user worker; a name with a colon is any inspector target (e.g. kv:ns, d1:db).
    workers.map(async (w) => ({
      worker: w,
      session: await Session.open(`${inspector}/${w.includes(":") ? w : `core:user:${w}`}`),
    })),
  );
  for (const { session } of sessions) {
    await session.send("Profiler.enable");
    await session.send("Profiler.setSamplingInterval", { interval: 100 });
    await session.send("Profiler.start");
  }
  return async (label, dir) => {
    await mkdir(dir, { recursive: true });
    const lines: string[] = [];
    for (const { worker, session } of sessions) {
      const { profile } = (await session.send("Profiler.stop")) as { profile: CpuProfile };
      session.close();
      const file = `${dir}${label}-${worker.replaceAll(":", "_")}.cpuprofile`;
      await writeFile(file, JSON.stringify(profile));
      // Every isolate runs on workerd's one thread and V8 samples the thread, so a profile's totals include
      // time spent in other isolates (as native frames): read the named JS functions, not the sums.
      const top = selfTimes(profile)
        .filter((t) => !IDLE.has(t.name.split(" ")[0] ?? ""))
        .slice(0, 15);
      lines.push(`  ${worker} (${file}):`);
      for (const t of top) lines.push(`    ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.name}`);
    }
    return lines;
  };
}
