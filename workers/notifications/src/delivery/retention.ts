import {
  errorFields,
  log,
  PURGE_BATCH,
  PURGE_BATCHES_PER_RUN,
  purgeEventRecords,
  retentionMs,
} from "@edge-shop/worker-kit";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { notifications } from "../db/schema";

/**
 * Blanks the body and HTML of delivered (or failed) messages created before `before`, in bounded batches. The row
 * stays: its (event, channel) key still stops a redelivered event from sending twice, and its status, subject,
 * recipient and times remain for the customer's inbox and for support.
 */
export async function purgeDeliveryBodies(db: Db, before: number): Promise<number> {
  let purged = 0;
  for (let batch = 0; batch < PURGE_BATCHES_PER_RUN; batch++) {
    const result = await db.run(
      sql`update ${notifications} set body = '', html = null where rowid in (select rowid from ${notifications}
        where ${notifications.createdAt} < ${before} and ${notifications.status} != 'pending'
        and (${notifications.body} != '' or ${notifications.html} is not null) limit ${PURGE_BATCH})`,
    );
    const changed = result.meta.changes ?? 0;
    purged += changed;
    if (changed < PURGE_BATCH) break;
  }
  return purged;
}

/** The cron job: the retention purges (docs/operations.md, "Retention"); one failing step does not stop the other. */
export async function runMaintenance(env: Env, db: Db, now = Date.now()): Promise<Record<string, number>> {
  const steps: Record<string, () => Promise<number>> = {
    bodiesPurged: () => purgeDeliveryBodies(db, now - retentionMs(env.DELIVERY_BODY_RETENTION_DAYS, 90)),
    eventRecordsPurged: async () => {
      const purged = await purgeEventRecords(db, now - retentionMs(env.EVENT_RETENTION_DAYS, 30));
      return purged.outbox + purged.inbox;
    },
  };
  const done: Record<string, number> = {};
  for (const [step, run] of Object.entries(steps)) {
    try {
      done[step] = await run();
    } catch (error) {
      log("error", "maintenance step failed", { service: "notifications", step, ...errorFields(error) });
    }
  }
  if (Object.values(done).some((count) => count > 0))
    log("info", "maintenance", { service: "notifications", ...done });
  return done;
}
