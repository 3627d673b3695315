import type { CheckoutProblem, CheckoutStart, Identity, Order, ShippingAddress } from "@edge-shop/contracts";
import { AppError, errorFields, errors, log, type WaitUntil } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { findOrder } from "../db/queries/orders";
import { SERVICE } from "./events";
import { toOrder } from "./order-view";
import { type OrderDraft, placeOrder, type StoreAnswer } from "./place-order";

const busy = () =>
  new AppError(409, "checkout_in_progress", "This cart is being checked out; try again in a moment", {
    headers: { "retry-after": "1" },
  });

/** The problem a refused order answered, for the checkouts of the same cart that waited for it. */
function problemOf(error: unknown): CheckoutProblem {
  if (error instanceof AppError && error.status < 500) {
    const status = error.status as CheckoutProblem["status"];
    return {
      status,
      code: error.code,
      detail: error.detail,
      ...(error.errors ? { errors: error.errors } : {}),
    };
  }
  return { status: 503, code: "checkout_failed", detail: "The order could not be placed; try again" };
}

const errorOf = (problem: CheckoutProblem) =>
  new AppError(
    problem.status,
    problem.code,
    problem.detail,
    problem.errors ? { errors: problem.errors } : {},
  );

/** An order that exists and is the caller's, for a checkout that answers it. */
async function existing(db: Db, caller: Identity, orderId: string): Promise<Order | undefined> {
  const order = await findOrder(db, orderId);
  return order?.userId === caller.userId ? toOrder(order) : undefined;
}

async function begin(
  env: Env,
  cartId: string,
  caller: Identity,
  replacing: string | undefined,
  correlationId: string,
): Promise<CheckoutStart> {
  try {
    return await env.CARTS.beginCheckout(cartId, caller, replacing, correlationId);
  } catch (error) {
    throw new AppError(503, "carts_unavailable", "The cart is not reachable; try again", { cause: error });
  }
}

async function quietly(what: string, orderId: string, call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (error) {
    // The cart's lease ends on its own; the next checkout of the cart then finds this order (`stale`).
    log("error", `${what} failed`, { service: SERVICE, orderId, ...errorFields(error) });
  }
}

/**
 * `POST /api/orders { cartId }`: orders exactly the cart's lines at the current prices. The cart decides who
 * places the order (carts' `beginCheckout`, one object per cart, so it serialises): the first checkout leads,
 * under an order id the cart chose; checkouts of the same cart that come meanwhile (two tabs, a retry with
 * another key) wait there and answer the leader's order, or its refusal. The leader empties the cart once the
 * order exists (`completeCheckout`), or leaves it as it was when the order is refused (`failCheckout`). A
 * leader that went silent (`stale`) is looked up: its order, if it exists, is the answer.
 */
export async function checkoutCart(
  env: Env,
  ctx: WaitUntil,
  db: Db,
  caller: Identity,
  request: { cartId: string; shippingAddress: ShippingAddress },
  correlationId: string,
  storeAnswer: StoreAnswer,
): Promise<Order> {
  const { cartId } = request;
  let start = await begin(env, cartId, caller, undefined, correlationId);
  if (start.kind === "stale") {
    const found = await existing(db, caller, start.orderId);
    if (found) {
      await quietly("completeCheckout", found.id, () =>
        env.CARTS.completeCheckout(cartId, found.id, correlationId),
      );
      return found;
    }
    start = await begin(env, cartId, caller, start.orderId, correlationId);
  }
  switch (start.kind) {
    case "lead":
      return lead(
        env,
        ctx,
        db,
        caller,
        { ...request, orderId: start.orderId, items: start.items },
        correlationId,
        storeAnswer,
      );
    case "created": {
      const order = await existing(db, caller, start.orderId);
      if (!order) throw busy();
      return order;
    }
    case "failed":
      throw errorOf(start.problem);
    case "empty":
      throw new AppError(409, "cart_empty", "The cart is empty");
    case "not_found":
      throw errors.notFound("Cart");
    default:
      throw busy();
  }
}

async function lead(
  env: Env,
  ctx: WaitUntil,
  db: Db,
  caller: Identity,
  draft: OrderDraft & { cartId: string },
  correlationId: string,
  storeAnswer: StoreAnswer,
): Promise<Order> {
  const { cartId, orderId } = draft;
  let order: Order;
  try {
    order = await placeOrder(env, ctx, db, caller, draft, correlationId, storeAnswer);
  } catch (error) {
    await quietly("failCheckout", orderId, () =>
      env.CARTS.failCheckout(cartId, orderId, problemOf(error), correlationId),
    );
    throw error;
  }
  await quietly("completeCheckout", orderId, () =>
    env.CARTS.completeCheckout(cartId, orderId, correlationId),
  );
  return order;
}
