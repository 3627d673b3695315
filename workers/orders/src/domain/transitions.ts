import type { EventEnvelope, OrderStatus } from "@edge-shop/contracts";
import { currentCorrelationId, errorFields, log, recordOrder } from "@edge-shop/worker-kit";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import {
  markStockReleased,
  type OrderRecord,
  outboxIfTransitioned,
  transitionOrder,
} from "../db/queries/orders";
import { SERVICE } from "./events";
import { assertTransition } from "./state-machine";

/**
 * Applies `order.status → to` as one batch: the guarded UPDATE, the event's outbox rows (inserted only if
 * the update won) and any `extra` statements (e.g. an inbox row). Returns whether this call won the transition.
 */
export async function applyTransition(
  db: Db,
  order: OrderRecord,
  to: OrderStatus,
  options: {
    event?: EventEnvelope;
    destinations?: string[];
    paymentId?: string;
    extra?: BatchItem<"sqlite">[];
  } = {},
): Promise<boolean> {
  assertTransition(order.status, to);
  const transitionId = options.event?.id ?? crypto.randomUUID();
  const update = transitionOrder(db, {
    orderId: order.id,
    from: order.status,
    to,
    transitionId,
    now: Date.now(),
    ...(options.paymentId === undefined ? {} : { paymentId: options.paymentId }),
  });
  const rest: BatchItem<"sqlite">[] = [...(options.extra ?? [])];
  if (options.event && options.destinations?.length) {
    rest.push(outboxIfTransitioned(db, options.event, options.destinations, order.id, transitionId));
  }
  const [updated] = await db.batch([update, ...rest]);
  const won = updated.length > 0;
  if (won && to !== "pending") recordOrder(to, { amount: order.total, currency: order.currency });
  return won;
}

/**
 * Gives an order's reserved stock back to products (idempotent there) and notes it. A failure is only logged:
 * the scheduled sweep retries orders whose stock is not marked released.
 */
export async function releaseStock(env: Env, db: Db, orderId: string): Promise<boolean> {
  try {
    await env.PRODUCTS.release(orderId, currentCorrelationId());
    await markStockReleased(db, orderId);
    return true;
  } catch (error) {
    log("warn", "stock release deferred to the sweep", { service: SERVICE, orderId, ...errorFields(error) });
    return false;
  }
}
