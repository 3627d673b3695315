import { WorkerEntrypoint } from "cloudflare:workers";
import type { Cart, CartsApi, CheckoutProblem, CheckoutStart, Identity } from "@edge-shop/contracts";
import { answerHealthFirst, rpcCall } from "@edge-shop/worker-kit";
import { app } from "./app";
import { cartStub, isCartId } from "./domain/cart-ids";
import { forgetUser, userCart } from "./domain/carts";

export { Cart } from "./domain/cart-object";

/** Typed RPC for the other services (bound with `entrypoint = "CartsRpc"`): checkout for orders, export and erasure. */
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

  async forgetUser(userId: string, correlationId?: string): Promise<{ deleted: boolean }> {
    return this.call("forgetUser", correlationId, () => forgetUser(this.env, userId));
  }

  async cartOf(userId: string, correlationId?: string): Promise<Cart | null> {
    return this.call("cartOf", correlationId, () => userCart(this.env, userId));
  }
}

export default { fetch: answerHealthFirst("carts", app.fetch) } satisfies ExportedHandler<Env>;
