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
import { isRedemptionRefusal, type PromotionRow, redeemPromotion } from "../db/queries/promotions";
import { destinations, orderEvent, publish, SERVICE } from "./events";
import { maxPendingOrders } from "./limits";
import { breakdownOf, toOrder } from "./order-view";
import { invalidPromotion, namedPromotion, orderRefusal, redemptionRefusal } from "./promotions";
import {
  chooseShipping,
  countryOf,
  DEFAULT_SHIPPING_OPTION,
  type ShippingQuote,
  shippingMethod,
} from "./shipping";
import { taxRateOf } from "./tax";
import { orderTotals } from "./totals";

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
  shippingOptionId?: string | undefined;
  promotionCode?: string | undefined;
}

type Reserved = Extract<ReserveResult, { ok: true }>;

/**
 * Creates a pending order: products prices the items and takes the stock (all or nothing); the figures are worked
 * out (shipping for the address's country, the promotion's discount, the country's tax: totals.ts); then the
 * order, its lines, the promotion's redemption, the `order.created` outbox row and `storeAnswer(order)` (the
 * request's idempotent answer, when the route has one) commit in one batch, refused whole beyond the user's
 * MAX_PENDING_ORDERS unpaid orders or the promotion's limits. If that batch fails, the reservation is given back
 * (and should that fail too, the hold expires: products' holds are settled by the maintenance sweep); a
 * redemption refused because the code changed since this isolate read it is tried once more on its new terms.
 * `order.created` is sent before the answer; its outbox mark is written after it, through `ctx`.
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
  const now = Date.now();
  const country = countryOf(draft.shippingAddress);
  const shippingOptionId = draft.shippingOptionId ?? DEFAULT_SHIPPING_OPTION;
  // Refusals that need no stock come first: nothing to give back.
  const method = shippingMethod(shippingOptionId, country);
  let promotion = await namedPromotion(db, draft.promotionCode, now);
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

  let shipping: ShippingQuote;
  let taxRateBp: number;
  try {
    const refusal = promotion && orderRefusal(promotion, reserved.total, reserved.currency);
    if (refusal) throw invalidPromotion(refusal);
    shipping = chooseShipping(method, reserved.total, reserved.currency);
    taxRateBp = await taxRateOf(db, country, now);
  } catch (error) {
    await releaseQuietly(env, orderId, correlationId);
    throw error;
  }

  const maxPending = maxPendingOrders(env);
  for (let attempt = 0; ; attempt++) {
    const draftOrder = orderRecord(caller, draft, reserved, { shipping, taxRateBp, promotion, now });
    const event = orderEvent("order.created", draftOrder.eventData, correlationId);
    const order = { ...draftOrder.row, transitionId: event.id };
    const view = toOrder({ ...order, items: draftOrder.lines });
    const to = [Queues.notifications];
    const answer = storeAnswer(view);
    try {
      await db.batch([
        ...insertOrder(db, order, draftOrder.lines, maxPending),
        ...(promotion === undefined
          ? []
          : [
              redeemPromotion(db, {
                orderId,
                code: promotion.code,
                userId: caller.userId,
                updatedAt: promotion.updatedAt,
                now,
              }),
            ]),
        outboxInsert(db, event, to),
        ...(answer === undefined ? [] : [answer]),
      ]);
    } catch (error) {
      if (promotion && isRedemptionRefusal(error)) {
        const why = await redemptionRefusal(db, promotion, caller.userId, reserved, now).catch(() => ({
          refusal: "usage_limit" as const,
        }));
        if ("changed" in why && attempt === 0) {
          promotion = why.changed;
          continue;
        }
        await releaseQuietly(env, orderId, correlationId);
        throw invalidPromotion("refusal" in why ? why.refusal : "usage_limit");
      }
      await releaseQuietly(env, orderId, correlationId);
      if (isPendingCapRefusal(error)) throw tooManyPending(maxPending);
      throw error;
    }
    recordOrder("created", { amount: order.total, currency: order.currency });
    await publish(db, destinations(env), [{ event, destinations: to }], ctx);
    return view;
  }
}

/** The order's row, lines and `order.created` data, priced. */
function orderRecord(
  caller: Identity,
  draft: OrderDraft,
  reserved: Reserved,
  terms: { shipping: ShippingQuote; taxRateBp: number; promotion: PromotionRow | undefined; now: number },
) {
  const { orderId } = draft;
  const { shipping, taxRateBp, promotion, now } = terms;
  const lines = reserved.items.map((item, position) => ({
    orderId,
    position,
    productId: item.productId,
    name: item.name,
    unitPrice: item.unitPrice,
    quantity: item.quantity,
    lineTotal: item.lineTotal,
  }));
  const totals = orderTotals({
    subtotal: reserved.total,
    discount: promotion,
    shipping: shipping.amount,
    taxRateBp,
  });
  const row = {
    id: orderId,
    userId: caller.userId,
    status: "pending" as const,
    ...totals,
    promotionCode: promotion?.code ?? null,
    shippingOptionId: shipping.id,
    shippingOptionName: shipping.name,
    taxRateBp,
    currency: reserved.currency,
    shippingAddress: JSON.stringify(draft.shippingAddress),
    paymentId: null,
    refundedTotal: 0,
    stockReleasedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const eventData = {
    orderId,
    userId: caller.userId,
    items: lines.map(({ productId, name, unitPrice, quantity, lineTotal }) => ({
      productId,
      name,
      unitPrice,
      quantity,
      lineTotal,
    })),
    total: totals.total,
    currency: reserved.currency,
    breakdown: breakdownOf({ ...row, transitionId: null, items: lines }),
  };
  return { row, lines, eventData };
}
