import { env } from "cloudflare:workers";
import {
  deleteExpiredIdempotencyKeys,
  idempotencyKeys,
  inbox,
  outbox,
  PURGE_BATCH,
  PURGE_BATCHES_PER_RUN,
  purgeEventRecords,
} from "@edge-shop/worker-kit";
import { inArray, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runMaintenance } from "../src/domain/maintenance";
import { db } from "./helpers";

const DAY = 24 * 3600_000;

async function insertOutbox(prefix: string, rows: { sentAt: number | null; createdAt: number }[]) {
  const values = rows.map((row, i) => ({
    id: `${prefix}-${i}`,
    eventId: `${prefix}-${i}`,
    destination: "nowhere",
    body: "{}",
    attempts: 1,
    ...row,
  }));
  for (let i = 0; i < values.length; i += 10) await db.insert(outbox).values(values.slice(i, i + 10));
}

async function countLike(prefix: string) {
  const out = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(like(outbox.id, `${prefix}%`));
  const inn = await db
    .select({ id: inbox.eventId })
    .from(inbox)
    .where(like(inbox.eventId, `${prefix}%`));
  return { outbox: out.length, inbox: inn.length };
}

describe("retention of event records", () => {
  it("purges sent outbox rows and inbox ids past the retention, never an unsent row", async () => {
    const prefix = `ret-${crypto.randomUUID()}`;
    const old = Date.now() - 40 * DAY;
    const recent = Date.now() - 2 * DAY;
    await insertOutbox(prefix, [
      { sentAt: old, createdAt: old },
      { sentAt: recent, createdAt: old },
      { sentAt: null, createdAt: old },
    ]);
    await db.insert(inbox).values([
      { eventId: `${prefix}-in-old`, type: "payment.succeeded", processedAt: old },
      { eventId: `${prefix}-in-new`, type: "payment.succeeded", processedAt: recent },
    ]);
    await runMaintenance({ ...env, EVENT_RETENTION_DAYS: "30" }, db);
    const left = await db
      .select({ id: outbox.id })
      .from(outbox)
      .where(like(outbox.id, `${prefix}%`));
    expect(left.map((r) => r.id).sort()).toEqual([`${prefix}-1`, `${prefix}-2`]);
    expect(await countLike(`${prefix}-in`)).toMatchObject({ inbox: 1 });
    // A shorter retention (configurable, in days) takes the recent sent row too; the unsent one still stays.
    await runMaintenance({ ...env, EVENT_RETENTION_DAYS: "1" }, db);
    expect(await countLike(prefix)).toEqual({ outbox: 1, inbox: 0 });
  });

  it("purges in bounded batches: at most PURGE_BATCH × PURGE_BATCHES_PER_RUN rows a run", async () => {
    const prefix = `bulk-${crypto.randomUUID()}`;
    const old = Date.now() - 400 * DAY;
    const total = PURGE_BATCH * PURGE_BATCHES_PER_RUN + 7;
    const ids = Array.from({ length: total }, (_, i) => ({
      eventId: `${prefix}-${i}`,
      type: "x",
      processedAt: old,
    }));
    for (let i = 0; i < ids.length; i += 30) await db.insert(inbox).values(ids.slice(i, i + 30));
    const first = await purgeEventRecords(db, Date.now() - 300 * DAY);
    expect(first.inbox).toBe(PURGE_BATCH * PURGE_BATCHES_PER_RUN);
    const second = await purgeEventRecords(db, Date.now() - 300 * DAY);
    expect(second.inbox).toBe(7);
    expect((await countLike(prefix)).inbox).toBe(0);
  });

  it("drops expired idempotency keys only, whatever user shares a key", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const row = (userId: string, expiresAt: number) => ({
      userId,
      key,
      requestHash: "h",
      state: "done" as const,
      claim: "c",
      createdAt: expiresAt - DAY,
      expiresAt,
    });
    await db
      .insert(idempotencyKeys)
      .values([row("u-old", Date.now() - 1000), row("u-new", Date.now() + DAY)]);
    expect(await deleteExpiredIdempotencyKeys(db)).toBeGreaterThanOrEqual(1);
    const left = await db
      .select({ userId: idempotencyKeys.userId })
      .from(idempotencyKeys)
      .where(inArray(idempotencyKeys.userId, ["u-old", "u-new"]));
    expect(left).toEqual([{ userId: "u-new" }]);
  });
});
