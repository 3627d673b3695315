import type { DrizzleD1Database } from "drizzle-orm/d1";
import {
  type Destinations,
  type OutboxedEvent,
  recordSendOutcome,
  type SendOutcome,
  sendCommitted,
} from "./outbox";
import { sleep } from "./timing";

// biome-ignore lint/suspicious/noExplicitAny: drizzle's D1 database is generic over each service's schema
type Db = DrizzleD1Database<any>;

/** The part of a request's ExecutionContext that keeps the deferred write alive after the response. */
export type WaitUntil = Pick<ExecutionContext, "waitUntil">;

/** How long a send's outbox mark waits for the other sends of this isolate to share its write. */
export const OUTBOX_MARK_WINDOW_MS = 50;

// The outcomes waiting for their write, per database handle (one per worker; tests may wrap theirs).
const waiting = new Map<Db, SendOutcome>();

async function writeLater(db: Db): Promise<void> {
  await sleep(OUTBOX_MARK_WINDOW_MS);
  const outcome = waiting.get(db);
  waiting.delete(db);
  if (outcome) await recordSendOutcome(db, outcome);
}

/**
 * Like `publishCommitted`, but the outbox rows are marked sent a moment later, in ONE write shared by every
 * send of this isolate in that moment (OUTBOX_MARK_WINDOW_MS), kept alive after the response by
 * `ctx.waitUntil`. Under load, a publish then costs its sends and a fraction of a write, and the response never
 * waits for the mark. If the isolate dies before the write, the sweep sends those events again: at least once,
 * as with any unrecorded send (consumers dedupe by event id). Never throws.
 */
export async function publishCommittedLater(
  db: Db,
  queues: Destinations,
  events: OutboxedEvent[],
  ctx: WaitUntil,
): Promise<number> {
  const outcome = await sendCommitted(queues, events);
  if (outcome.sent.length + outcome.failed.length === 0) return 0;
  const pending = waiting.get(db);
  if (pending) {
    pending.sent.push(...outcome.sent);
    pending.failed.push(...outcome.failed);
    pending.eventIds.push(...outcome.eventIds);
  } else {
    waiting.set(db, outcome);
    ctx.waitUntil(writeLater(db));
  }
  return outcome.sent.length;
}
