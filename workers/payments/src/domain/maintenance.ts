import {
  deleteExpiredIdempotencyKeys,
  errorFields,
  log,
  purgeEventRecords,
  purgeInBatches,
  republishPending,
  retentionMs,
} from "@edge-shop/worker-kit";
import { lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { unconfirmedSuccesses } from "../db/queries/payments";
import { webhookEvents } from "../db/schema";
import { destinations } from "./events";
import { confirmWithOrders } from "./settle";
import { expireAuthentications, settleUnknownOutcomes } from "./settle-later";

/** Grace before asking orders again about a succeeded payment it has not confirmed. */
export const RECONFIRM_AFTER_MS = 60 * 1000;

async function reconfirmSuccesses(env: Env, db: Db, now: number): Promise<number> {
  const pending = await unconfirmedSuccesses(db, now - RECONFIRM_AFTER_MS);
  for (const payment of pending) await confirmWithOrders(env, db, payment, payment.id);
  return pending.length;
}

/**
 * The cron job: republish the outbox, drop expired idempotency keys, settle what the provider had not told
 * (unknown outcomes, abandoned authentications) and what a crash left half done, purge event records (outbox,
 * inbox, webhook ids) past their retention.
 */
export async function runMaintenance(env: Env, db: Db, now = Date.now()): Promise<Record<string, number>> {
  const tasks = {
    republished: () => republishPending(db, destinations(env)),
    idempotencyKeysDeleted: () => deleteExpiredIdempotencyKeys(db, now),
    unknownOutcomesSettled: () => settleUnknownOutcomes(env, db, now),
    authenticationsExpired: () => expireAuthentications(env, db, now),
    successesReconfirmed: () => reconfirmSuccesses(env, db, now),
    eventRecordsPurged: async () => {
      const before = now - retentionMs(env.EVENT_RETENTION_DAYS, 30);
      const purged = await purgeEventRecords(db, before);
      // A provider retries a webhook for days, not weeks: its id is kept as long as the events' records.
      return (
        purged.outbox +
        purged.inbox +
        (await purgeInBatches(db, webhookEvents, lt(webhookEvents.receivedAt, before)))
      );
    },
  };
  const done: Record<string, number> = {};
  // Each task runs even when another fails.
  for (const [name, task] of Object.entries(tasks)) {
    try {
      done[name] = await task();
    } catch (error) {
      log("error", "maintenance task failed", { service: "payments", task: name, ...errorFields(error) });
    }
  }
  log("info", "maintenance", { service: "payments", ...done });
  return done;
}
