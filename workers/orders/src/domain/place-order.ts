import {
  type Identity,
  type ItemRequest,
  type Order,
  Queues,
  type ReserveResult,
  type ShippingAddress,
} from "@edge-shop/contracts";
import { AppError, errorFields, log, outboxInsert, recordOrder, type WaitUntil } from "@edge-shop/worker-kit";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { insertOrder, isPendingCapRefusal } from "../db/queries/orders";
import { destinations, orderEvent, publish, SERVICE } from "./events";
import { maxPendingOrders } from "./limits";
import { toOrder } from "./order-view";

type Refusal = Extract<ReserveResult, { ok: false }>;

/** The problem for a reservation products refused; `errors[]` points at the offending items. */
function refusalError(refusal: Refusal, items: ItemRequest[]): AppError {
  const ids = refusal.productIds.join(", ");
  const at = (message: string) =>
    items.flatMap((item, i) =>
      refusal.productIds.includes(item.productId) ? [{ path: `items.${i}.productId`, message }] : [],
    );
  switch (refusal.reason) {
    case "insufficient_stock":
      return new AppError(409, "insufficient_stock", `Not enough stock for: ${ids}`, {
        errors: at("Not enough stock"),
      });
    case "not_found":
      return new AppError(400, "product_not_found", `No such product: ${ids}`, {
        errors: at("No such product"),
      });
    case "inactive":
      return new AppError(400, "product_inactive", `No longer sold: ${ids}`, {
        errors: at("No longer sold"),
      });
    case "mixed_currency":
      return new AppError(
        400,
        "mixed_currency",
        `One order takes products of one currency; these differ: ${ids}`,
        {
          errors: at("Another currency than the rest of the order"),
        },
      );
    case "max_per_order":
      return new AppError(409, "max_per_order_exceeded", `More than one order may hold of: ${ids}`, {
        errors: at("More than this product's limit per order"),
      });
  }
}

const tooManyPending = (max: number) =>
  new AppError(
    409,
    "too_many_pending_orders",
    `You already have ${max} unpaid orders: pay or cancel one before placing another`,
  );

async function releaseQuietly(env: Env, orderId: string, correlationId: string): Promise<void> {
  try {
    await env.PRODUCTS.release(orderId, correlationId);
  } catch (error) {
    log("error", "release after failed order creation failed", {
      service: SERVICE,
      orderId,
      ...errorFields(error),
    });
  }
}

/** Stores the request's idempotent answer in the order's own batch (when the route has one). */
export type StoreAnswer = (order: Order) => BatchItem<"sqlite"> | undefined;

/** What one order is: its id (chosen by orders, or by the cart's checkout), its items and where it goes. */
export interface OrderDraft {
  orderId: string;
  items: ItemRequest[];
  shippingAddress: ShippingAddress;
}

/**
 * Creates a pending order: products prices the items and takes the stock (all or nothing), then the order,
 * its lines, the `order.created` outbox row and `storeAnswer(order)` (the request's idempotent answer, when
 * the route has one) commit in one batch, refused whole beyond the user's MAX_PENDING_ORDERS unpaid orders.
 * If that batch fails, the reservation is given back (and should that fail too, the hold expires: products'
 * holds are settled by the maintenance sweep). `order.created` is sent before the answer; its outbox mark is
 * written after it, through `ctx`.
 */
export async function placeOrder(
  env: Env,
  ctx: WaitUntil,
  db: Db,
  caller: Identity,
  draft: OrderDraft,
  correlationId: string,
  storeAnswer: StoreAnswer,
): Promise<Order> {
  const { orderId, items } = draft;
  let reserved: ReserveResult;
  try {
    reserved = await env.PRODUCTS.reserve(orderId, items, correlationId);
  } catch (error) {
    // We cannot know whether products took the stock before failing: give back whatever it may hold.
    await releaseQuietly(env, orderId, correlationId);
    throw new AppError(503, "products_unavailable", "The catalog is not reachable; try again", {
      cause: error,
    });
  }
  if (!reserved.ok) throw refusalError(reserved, items);

  const now = Date.now();
  const lines = reserved.items.map((item, position) => ({
    orderId,
    position,
    productId: item.productId,
    name: item.name,
    unitPrice: item.unitPrice,
    quantity: item.quantity,
    lineTotal: item.lineTotal,
  }));
  const event = orderEvent(
    "order.created",
    {
      orderId,
      userId: caller.userId,
      items: lines.map(({ productId, name, unitPrice, quantity, lineTotal }) => ({
        productId,
        name,
        unitPrice,
        quantity,
        lineTotal,
      })),
      total: reserved.total,
      currency: reserved.currency,
    },
    correlationId,
  );
  const order = {
    id: orderId,
    userId: caller.userId,
    status: "pending" as const,
    total: reserved.total,
    currency: reserved.currency,
    shippingAddress: JSON.stringify(draft.shippingAddress),
    paymentId: null,
    transitionId: event.id,
    refundedTotal: 0,
    stockReleasedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const view = toOrder({ ...order, items: lines });
  const to = [Queues.notifications];
  const answer = storeAnswer(view);
  const maxPending = maxPendingOrders(env);
  try {
    await db.batch([
      ...insertOrder(db, order, lines, maxPending),
      outboxInsert(db, event, to),
      ...(answer === undefined ? [] : [answer]),
    ]);
  } catch (error) {
    await releaseQuietly(env, orderId, correlationId);
    if (isPendingCapRefusal(error)) throw tooManyPending(maxPending);
    throw error;
  }
  recordOrder("created", { amount: reserved.total, currency: reserved.currency });
  await publish(db, destinations(env), [{ event, destinations: to }], ctx);
  return view;
}
