// Cron triggers under `pnpm dev`: `wrangler dev` fires none, so the stack runs each worker's real `scheduled`
// handler on the schedules of its wrangler config, through wrangler's Local Explorer API (dev only, on the
// local port: `POST /cdn-cgi/local/explorer/api/local/scheduled?worker=<name>`). See docs/development.md.
import { Cron } from "croner";

/** One `[triggers] crons` entry of one worker. */
export interface CronTrigger {
  worker: string;
  cron: string;
}

/** How a run ended, as the Local Explorer reports it. */
export interface CronOutcome {
  outcome: string;
}

/** Every cron trigger of the given wrangler configs' top level (what `wrangler deploy` registers there). */
export async function cronTriggers(configPaths: string[]): Promise<CronTrigger[]> {
  const { unstable_readConfig } = await import("wrangler");
  return configPaths.flatMap((config) => {
    const { name, triggers } = unstable_readConfig({ config }, { hideWarnings: true });
    if (!name) throw new Error(`${config}: no worker name`);
    return (triggers?.crons ?? []).map((cron: string) => ({ worker: name, cron }));
  });
}

/** Runs `worker`'s scheduled handler once, as Cloudflare would for `cron` at `scheduledTime`. */
export async function dispatchScheduled(
  baseUrl: string,
  trigger: CronTrigger,
  scheduledTime: number,
): Promise<CronOutcome> {
  const url = `${baseUrl}/cdn-cgi/local/explorer/api/local/scheduled?worker=${encodeURIComponent(trigger.worker)}`;
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ cron: trigger.cron, scheduled_time: scheduledTime }),
  });
  const body = (await response.json().catch(() => undefined)) as
    | { result?: { outcome?: string }; errors?: { message?: string }[] }
    | undefined;
  if (!response.ok || !body?.result?.outcome) {
    throw new Error(body?.errors?.[0]?.message ?? `HTTP ${response.status}`);
  }
  return { outcome: body.result.outcome };
}

/**
 * Fires every trigger on its own schedule (UTC, Cloudflare's cron syntax: 1-7 = SUN-SAT in day-of-week) until
 * `stop()`, one line per run. A run still going when its next time comes is skipped, not stacked.
 */
export function scheduleCrons(
  triggers: CronTrigger[],
  run: (trigger: CronTrigger, scheduledTime: number) => Promise<CronOutcome>,
  say: (line: string) => void,
): { stop(): void } {
  const jobs = triggers.map(
    (trigger) =>
      new Cron(
        trigger.cron,
        { timezone: "Etc/UTC", protect: true, alternativeWeekdays: true },
        async (job) => {
          const scheduledTime = job.currentRun()?.getTime() ?? Date.now();
          const started = Date.now();
          const label = `[cron] ${trigger.worker} "${trigger.cron}"`;
          try {
            const { outcome } = await run(trigger, scheduledTime);
            say(`${label} ${outcome} (${Date.now() - started} ms)`);
          } catch (error) {
            say(`${label} failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        },
      ),
  );
  return {
    stop() {
      for (const job of jobs) job.stop();
    },
  };
}
