import type { ExpiredHold, HoldSettlement } from "@edge-shop/contracts";
import { and, asc, eq, lte } from "drizzle-orm";
import type { Db } from "../db/client";
import type { CatalogChange } from "../db/queries/catalog-version";
import { reservations } from "../db/schema";
import { releaseStock } from "./release";
import { DEFAULT_HOLD_MS } from "./reserve";
import { checkOrderId, type StockChange } from "./stored-reservation";

const MAX_HOLDS = 100;

/** RESERVATION_HOLD_SECONDS as milliseconds (the default when unset or not a positive number). */
export function holdMs(env: { RESERVATION_HOLD_SECONDS?: string }): number {
  const seconds = Number(env.RESERVATION_HOLD_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_HOLD_MS;
}

/** Held reservations whose expiry is at or before `now`, oldest expiry first. */
export async function expiredHolds(db: Db, now: number, limit: number): Promise<ExpiredHold[]> {
  const rows = await db
    .select({
      orderId: reservations.orderId,
      createdAt: reservations.createdAt,
      expiresAt: reservations.expiresAt,
    })
    .from(reservations)
    .where(and(eq(reservations.status, "held"), lte(reservations.expiresAt, now)))
    .orderBy(asc(reservations.expiresAt))
    .limit(Math.max(1, Math.min(MAX_HOLDS, Math.trunc(limit) || 1)));
  return rows.map((row) => ({
    orderId: row.orderId,
    createdAt: row.createdAt.getTime(),
    expiresAt: row.expiresAt ?? now,
  }));
}

function checkSettlement(settlement: HoldSettlement): void {
  const ids = [...settlement.release, ...settlement.keep.map((k) => k.orderId)];
  if (ids.length > MAX_HOLDS) throw new RangeError(`at most ${MAX_HOLDS} holds at once`);
  for (const id of ids) checkOrderId(id);
  for (const { until } of settlement.keep) {
    if (until !== null && !Number.isSafeInteger(until))
      throw new RangeError("until must be epoch ms or null");
  }
}

/**
 * Applies orders' decisions about expired holds: each release gives its stock back once (`releaseStock`, one
 * batch per order, as a cancel does); the kept holds get their new expiry in one batch, still held only.
 */
export async function settleHolds(
  db: Db,
  settlement: HoldSettlement,
  now: Date,
): Promise<StockChange<{ released: string[] }>> {
  checkSettlement(settlement);
  const released: string[] = [];
  const change: CatalogChange = { listVersion: undefined, products: [] };
  for (const orderId of settlement.release) {
    const one = await releaseStock(db, orderId, now);
    if (!one.result.released) continue;
    released.push(orderId);
    // Versions only grow: the highest list version a release moved to is the newest.
    if (one.listVersion !== undefined) {
      change.listVersion = Math.max(change.listVersion ?? one.listVersion, one.listVersion);
    }
    change.products.push(...one.products);
  }
  const [first, ...rest] = settlement.keep.map(({ orderId, until }) =>
    db
      .update(reservations)
      .set({ expiresAt: until })
      .where(and(eq(reservations.orderId, orderId), eq(reservations.status, "held"))),
  );
  if (first) await db.batch([first, ...rest]);
  return { result: { released }, ...change };
}
