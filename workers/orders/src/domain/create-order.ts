import type { CreateOrder, Identity, Order } from "@edge-shop/contracts";
import type { WaitUntil } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { checkoutCart } from "./checkout-cart";
import { placeOrder, type StoreAnswer } from "./place-order";

/** `POST /api/orders`: the given items, or a cart's lines (`cartId`; see checkout-cart.ts). */
export async function createOrder(
  env: Env,
  ctx: WaitUntil,
  db: Db,
  caller: Identity,
  input: CreateOrder,
  correlationId: string,
  storeAnswer: StoreAnswer = () => undefined,
): Promise<Order> {
  const { shippingAddress } = input;
  if (input.cartId !== undefined) {
    return checkoutCart(
      env,
      ctx,
      db,
      caller,
      { cartId: input.cartId, shippingAddress },
      correlationId,
      storeAnswer,
    );
  }
  const items = (input.items ?? []).map(({ productId, quantity }) => ({ productId, quantity }));
  return placeOrder(
    env,
    ctx,
    db,
    caller,
    { orderId: crypto.randomUUID(), items, shippingAddress },
    correlationId,
    storeAnswer,
  );
}
