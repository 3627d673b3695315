import {
  deleteExpiredIdempotencyKeys,
  errorFields,
  log,
  purgeEventRecords,
  republishPending,
  retentionMs,
} from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { findOrder, pendingOlderThan, unreleasedOlderThan } from "../db/queries/orders";
import { cancelOnce } from "./cancel-order";
import { destinations, SERVICE } from "./events";
import { settleExpiredHolds } from "./holds";
import { orderTtlMs } from "./limits";
import { releaseStock } from "./transitions";

const BATCH = 100;

/** Cancels unpaid orders older than the TTL (reason `expired`) and releases their stock. Returns how many. */
export async function expirePendingOrders(env: Env, db: Db, now = Date.now()): Promise<number> {
  let expired = 0;
  for (const { id } of await pendingOlderThan(db, now - orderTtlMs(env), BATCH)) {
    const order = await findOrder(db, id);
    // A payment may have won since the select: then the guarded update simply does not apply.
    if (order?.status === "pending" && (await cancelOnce(env, db, order, "expired", `expiry:${id}`)))
      expired++;
  }
  return expired;
}

/** Retries stock releases that failed right after a cancel or refund. */
export async function releaseUnreleasedStock(env: Env, db: Db, now = Date.now()): Promise<number> {
  let released = 0;
  for (const { id } of await unreleasedOlderThan(db, now - 60_000, BATCH)) {
    if (await releaseStock(env, db, id)) released++;
  }
  return released;
}

/** Everything the cron does; one failing step does not stop the others. */
export async function runMaintenance(env: Env, db: Db): Promise<void> {
  const steps: [string, () => Promise<number>][] = [
    ["republish", () => republishPending(db, destinations(env))],
    ["expire", () => expirePendingOrders(env, db)],
    ["release", () => releaseUnreleasedStock(env, db)],
    ["holds", () => settleExpiredHolds(env, db)],
    ["idempotency_cleanup", () => deleteExpiredIdempotencyKeys(db)],
    [
      "retention",
      async () => {
        const purged = await purgeEventRecords(db, Date.now() - retentionMs(env.EVENT_RETENTION_DAYS, 30));
        return purged.outbox + purged.inbox;
      },
    ],
  ];
  for (const [step, run] of steps) {
    try {
      const count = await run();
      if (count > 0) log("info", "maintenance", { service: SERVICE, step, count });
    } catch (error) {
      log("error", "maintenance step failed", { service: SERVICE, step, ...errorFields(error) });
    }
  }
}
