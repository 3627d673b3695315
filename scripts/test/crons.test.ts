import { afterEach, describe, expect, it, vi } from "vitest";
import { type CronTrigger, cronTriggers, scheduleCrons } from "../lib/crons";
import { ALL_CONFIGS, ROOT } from "../lib/workers";

const configs = ALL_CONFIGS.map((config) => `${ROOT}${config}`);

describe("cron triggers of the local stack", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("are read from every worker's wrangler config, top level only", async () => {
    const { unstable_readConfig } = await import("wrangler");
    const expected = configs.flatMap((config) => {
      const { name, triggers } = unstable_readConfig({ config }, { hideWarnings: true });
      return (triggers?.crons ?? []).map((cron: string) => ({ worker: name, cron }));
    });
    const triggers = await cronTriggers(configs);
    expect(triggers).toEqual(expected);
    // The services with scheduled handlers; the gateway has none.
    expect(new Set(triggers.map((t) => t.worker))).toEqual(
      new Set(["users", "products", "orders", "payments", "notifications"]),
    );
  });

  it("fire each trigger at its own times, with the scheduled time, one line per run", async () => {
    vi.useFakeTimers({ now: Date.parse("2026-12-01T10:00:30Z") });
    const runs: { trigger: CronTrigger; at: string }[] = [];
    const lines: string[] = [];
    const crons = scheduleCrons(
      [
        { worker: "orders", cron: "* * * * *" },
        { worker: "users", cron: "*/2 * * * *" },
      ],
      async (trigger, scheduledTime) => {
        runs.push({ trigger, at: new Date(scheduledTime).toISOString() });
        if (trigger.worker === "users") throw new Error("boom");
        return { outcome: "ok" };
      },
      (line) => lines.push(line),
    );
    await vi.advanceTimersByTimeAsync(140_000);
    crons.stop();
    expect(runs.map((r) => `${r.trigger.worker}@${r.at}`).sort()).toEqual([
      "orders@2026-12-01T10:01:00.000Z",
      "orders@2026-12-01T10:02:00.000Z",
      "users@2026-12-01T10:02:00.000Z",
    ]);
    expect(lines).toHaveLength(3);
    expect(lines).toContainEqual(expect.stringMatching(/^\[cron\] orders "\* \* \* \* \*" ok \(\d+ ms\)$/));
    expect(lines).toContainEqual('[cron] users "*/2 * * * *" failed: boom');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runs).toHaveLength(3);
  });
});
