import type { ExpiredHold, HoldSettlement } from "@edge-shop/contracts";
import { inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { markStockReleased } from "../db/queries/orders";
import { orders } from "../db/schema";
import { orderTtlMs } from "./limits";

const BATCH = 100;
/** Batches one sweep settles at most (a minute's worth of holds at 1,000 orders a minute). */
const MAX_BATCHES = 10;
/** How long after its own expiry a pending order's hold is asked about again (the expiry step releases it first). */
const GRACE_MS = 5 * 60_000;

/**
 * Settles products' expired holds (every reservation holds stock until an expiry, products' RESERVATION_HOLD_SECONDS):
 * a hold whose order never appeared (orders died between reserve and its insert, or the give-back after a failed
 * insert failed too) or whose order has ended (cancelled or refunded, its release lost) gives its stock back; a
 * pending order's hold lasts until that order expires; a paid (shipped, delivered) order's stock is sold and its
 * hold no longer expires. One RPC for the expired holds, one read of their orders, one RPC to settle them.
 *
 * orders asks products (its binding) rather than products asking orders: a products → orders binding would make
 * a cycle of service bindings, and no first deploy could go in order (docs/architecture.md, "Stock").
 */
export async function settleExpiredHolds(env: Env, db: Db, now = Date.now()): Promise<number> {
  let released = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const holds = await env.PRODUCTS.expiredHolds(now, BATCH, "sweep:holds");
    if (holds.length > 0) released += await settle(env, db, holds, now);
    // Each settled hold is released or re-dated: a full batch means more may be waiting.
    if (holds.length < BATCH) break;
  }
  return released;
}

async function settle(env: Env, db: Db, holds: ExpiredHold[], now: number): Promise<number> {
  const found = await db
    .select({ id: orders.id, status: orders.status, createdAt: orders.createdAt })
    .from(orders)
    .where(
      inArray(
        orders.id,
        holds.map((hold) => hold.orderId),
      ),
    );
  const byId = new Map(found.map((order) => [order.id, order]));
  const settlement: HoldSettlement = { release: [], keep: [] };
  const ended: string[] = [];
  for (const { orderId } of holds) {
    const order = byId.get(orderId);
    if (!order) settlement.release.push(orderId);
    else if (order.status === "cancelled" || order.status === "refunded") {
      settlement.release.push(orderId);
      ended.push(orderId);
    } else if (order.status === "pending") {
      const until = Math.max(now, order.createdAt + orderTtlMs(env)) + GRACE_MS;
      settlement.keep.push({ orderId, until });
    } else settlement.keep.push({ orderId, until: null });
  }
  const { released } = await env.PRODUCTS.settleHolds(settlement, "sweep:holds");
  // An ended order's stock is back now (released here or before): the release sweep need not try again.
  for (const orderId of ended) await markStockReleased(db, orderId);
  return released.length;
}
