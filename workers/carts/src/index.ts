import { WorkerEntrypoint } from "cloudflare:workers";
import type { CartsApi, CheckoutProblem, CheckoutStart, Identity } from "@edge-shop/contracts";
import { answerHealthFirst, handleQueue, rpcCall } from "@edge-shop/worker-kit";
import { app } from "./app";
import { database } from "./db/client";
import { cartStub, isCartId } from "./domain/cart-ids";
import { onCartsEvent } from "./domain/user-deleted";

export { Cart } from "./domain/cart-object";

/** Typed RPC for the other services (bound with `entrypoint = "CartsRpc"`): checkout, for orders. */
export class CartsRpc extends WorkerEntrypoint<Env> implements CartsApi {
  private call<T>(method: string, correlationId: string | undefined, fn: () => Promise<T>): Promise<T> {
    return rpcCall({ service: "carts", method, correlationId, metrics: this.env.METRICS }, fn);
  }

  async beginCheckout(
    cartId: string,
    caller: Identity,
    replacing?: string,
    correlationId?: string,
  ): Promise<CheckoutStart> {
    return this.call("beginCheckout", correlationId, async () => {
      if (!isCartId(cartId)) return { kind: "not_found" };
      return cartStub(this.env, cartId).beginCheckout(caller.userId, replacing);
    });
  }

  async completeCheckout(cartId: string, orderId: string, correlationId?: string): Promise<void> {
    return this.call("completeCheckout", correlationId, async () => {
      if (isCartId(cartId)) await cartStub(this.env, cartId).completeCheckout(orderId);
    });
  }

  async failCheckout(
    cartId: string,
    orderId: string,
    problem: CheckoutProblem,
    correlationId?: string,
  ): Promise<void> {
    return this.call("failCheckout", correlationId, async () => {
      if (isCartId(cartId)) await cartStub(this.env, cartId).failCheckout(orderId, problem);
    });
  }
}

export default {
  fetch: answerHealthFirst("carts", app.fetch),
  // carts-queue: `user.deleted` (from users); carts-queue-dlq: its dead letters, stored for the admin routes.
  async queue(batch: MessageBatch, env: Env): Promise<void> {
    await handleQueue(batch, { service: "carts", db: database(env.DB), metrics: env.METRICS }, (event) =>
      onCartsEvent(env, event),
    );
  },
} satisfies ExportedHandler<Env>;
