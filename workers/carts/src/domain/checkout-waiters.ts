import type { CheckoutStart } from "@edge-shop/contracts";

/** How long a second checkout of a cart waits for the first one's order before answering `busy`. */
export const FOLLOW_WAIT_MS = 8_000;

/**
 * The checkouts of a cart that wait for the one in progress (two tabs, a retry with another key): each gets the
 * first one's outcome (`created` or `failed`), or `busy` when it does not come in time. In memory: they wait in
 * this object, and the call that settles them comes into the same object.
 */
export class CheckoutWaiters {
  readonly #waiting = new Map<string, Set<(start: CheckoutStart) => void>>();

  wait(orderId: string, ms = FOLLOW_WAIT_MS): Promise<CheckoutStart> {
    return new Promise((resolve) => {
      const waiting = this.#waiting.get(orderId) ?? new Set();
      this.#waiting.set(orderId, waiting);
      const done = (start: CheckoutStart) => {
        clearTimeout(timer);
        waiting.delete(done);
        resolve(start);
      };
      const timer = setTimeout(() => done({ kind: "busy" }), ms);
      waiting.add(done);
    });
  }

  settle(orderId: string, start: CheckoutStart): void {
    const waiting = this.#waiting.get(orderId);
    this.#waiting.delete(orderId);
    for (const done of waiting ?? []) done(start);
  }
}
