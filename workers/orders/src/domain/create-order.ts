import {
  type CreateOrder,
  type Identity,
  type ItemRequest,
  type Order,
  Queues,
  type ReserveResult,
} from "@edge-shop/contracts";
import { AppError, errorFields, log, outboxInsert, recordOrder, type WaitUntil } from "@edge-shop/worker-kit";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { insertOrder } from "../db/queries/orders";
import { destinations, orderEvent, publish, SERVICE } from "./events";
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
  }
}

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

/**
 * Creates a pending order: products prices the items and takes the stock (all or nothing), then the order,
 * its lines, the `order.created` outbox row and `storeAnswer(order)` (the request's idempotent answer, when
 * the route has one) commit in one batch. If that batch fails, the reservation is given back so no stock
 * leaks. `order.created` is sent before the answer; its outbox mark is written after it, through `ctx`.
 */
export async function createOrder(
  env: Env,
  ctx: WaitUntil,
  db: Db,
  caller: Identity,
  input: CreateOrder,
  correlationId: string,
  storeAnswer: (order: Order) => BatchItem<"sqlite"> | undefined = () => undefined,
): Promise<Order> {
  const orderId = crypto.randomUUID();
  const items = input.items.map(({ productId, quantity }) => ({ productId, quantity }));
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
    shippingAddress: JSON.stringify(input.shippingAddress),
    paymentId: null,
    transitionId: event.id,
    stockReleasedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const view = toOrder({ ...order, items: lines });
  const to = [Queues.notifications];
  const answer = storeAnswer(view);
  try {
    await db.batch([
      ...insertOrder(db, order, lines),
      outboxInsert(db, event, to),
      ...(answer === undefined ? [] : [answer]),
    ]);
  } catch (error) {
    await releaseQuietly(env, orderId, correlationId);
    throw error;
  }
  recordOrder("created", { amount: reserved.total, currency: reserved.currency });
  await publish(db, destinations(env), [{ event, destinations: to }], ctx);
  return view;
}
