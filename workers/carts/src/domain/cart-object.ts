import { DurableObject } from "cloudflare:workers";
import type { CheckoutProblem, CheckoutStart } from "@edge-shop/contracts";
import { errorFields, log } from "@edge-shop/worker-kit";
import { database } from "../db/client";
import { forgetUserCart } from "../db/queries/user-carts";
import { cartStub } from "./cart-ids";
import {
  type CartState,
  canUse,
  expiresAt,
  freshCart,
  mergeLines,
  notFound,
  type Outcome,
  problem,
  type Quotes,
  refusal,
  type StoredLine,
  setLine,
  subtractOrdered,
  touched,
  unavailable,
  viewOf,
} from "./cart-state";
import { checkoutRunning, nextCheckout } from "./checkout";
import { CheckoutWaiters } from "./checkout-waiters";

const KEY = "cart";
/** How soon a claim that could not finish is tried again (by the alarm). */
const CLAIM_RETRY_MS = 30_000;
/** The claims a user's cart remembers having taken in. */
const ABSORBED_KEPT = 20;

/** What claiming a guest cart did (the worker answers the user's cart). */
export type ClaimOutcome =
  | { kind: "not_found" }
  | { kind: "busy" }
  | { kind: "own" }
  | { kind: "nothing" }
  | { kind: "moved"; outcome: Outcome; mine: boolean };

/**
 * One cart (one object per cart id, `idFromName`). Its state is one value in the object's SQLite storage, read
 * once and kept in memory: the object is its only writer. Calls into one object run one at a time, but an
 * outgoing call (the products quote) lets the next one in: every change is therefore decided and written after
 * the last await, on the state as it is then (two concurrent adds both count). Prices are never stored; each
 * answer quotes the lines' products in one RPC. An alarm deletes the cart 7 (guest) or 60 (user) days after its
 * last change. docs/architecture.md, "Carts".
 */
export class Cart extends DurableObject<Env> {
  #state: CartState | null | undefined;
  #alarmAt: number | null | undefined;
  readonly #waiters = new CheckoutWaiters();

  #load(): CartState | null {
    if (this.#state === undefined) this.#state = this.ctx.storage.kv.get<CartState>(KEY) ?? null;
    return this.#state;
  }

  /** Writes the state (and makes sure the alarm will come by its expiry). */
  async #save(state: CartState): Promise<void> {
    this.ctx.storage.kv.put(KEY, state);
    this.#state = state;
    await this.#alarmBy(expiresAt(state));
  }

  /** Makes sure the alarm fires by `at` (one alarm per cart: it reschedules itself when it finds the cart alive). */
  async #alarmBy(at: number): Promise<void> {
    if (this.#alarmAt === undefined) this.#alarmAt = await this.ctx.storage.getAlarm();
    if (this.#alarmAt !== null && this.#alarmAt <= at) return;
    await this.ctx.storage.setAlarm(at);
    this.#alarmAt = at;
  }

  /** One quote for the products asked (unknown ones answer null). */
  async #quote(productIds: string[], known: Quotes = new Map()): Promise<Quotes> {
    const ids = [...new Set(productIds)].filter((id) => !known.has(id));
    if (ids.length === 0) return known;
    const quotes: Quotes = new Map(known);
    for (const id of ids) quotes.set(id, null);
    for (const quote of await this.env.PRODUCTS.quote(ids)) quotes.set(quote.productId, quote);
    return quotes;
  }

  /** The cart as it is now, priced: a quote for lines that changed during an earlier await is fetched too. */
  async #render(userId: string | null, known: Quotes = new Map()): Promise<Outcome> {
    let quotes = known;
    for (;;) {
      const state = this.#load();
      if (!state || !canUse(state, userId)) return notFound();
      const missing = state.lines.map((line) => line.productId).filter((id) => !quotes.has(id));
      if (missing.length === 0) return { ok: true, cart: viewOf(state, quotes) };
      try {
        quotes = await this.#quote(missing, quotes);
      } catch (error) {
        return unavailable(error);
      }
    }
  }

  /** The cart, created for `owner` if it does not exist (a new guest cart, or a user's current cart). */
  async open(cartId: string, owner: string | null): Promise<Outcome> {
    const state = this.#load();
    if (!state) await this.#save(freshCart(cartId, owner, Date.now()));
    else if (state.owner !== owner) return notFound();
    return this.#render(owner);
  }

  /** The cart, for a caller who may see it. */
  async view(userId: string | null): Promise<Outcome> {
    return this.#render(userId);
  }

  /** Adds `quantity` units of a product (to its line if there is one). */
  async add(userId: string | null, productId: string, quantity: number): Promise<Outcome> {
    return this.#setQuantity(userId, productId, (current) => current + quantity);
  }

  /** Sets a line's quantity; 0 removes it. A product not in the cart is a 404 (unless 0 is asked). */
  async setQuantity(userId: string | null, productId: string, quantity: number): Promise<Outcome> {
    const state = this.#load();
    if (!state || !canUse(state, userId)) return notFound();
    if (!state.lines.some((line) => line.productId === productId)) {
      if (quantity === 0) return this.#render(userId);
      return {
        ok: false,
        problem: problem(404, "line_not_found", `No line for product ${productId} in this cart`),
      };
    }
    if (quantity === 0) return this.remove(userId, productId);
    return this.#setQuantity(userId, productId, () => quantity);
  }

  /** Removes a product's line (none: nothing changes). */
  async remove(userId: string | null, productId: string): Promise<Outcome> {
    const state = this.#load();
    if (!state || !canUse(state, userId)) return notFound();
    if (state.lines.some((line) => line.productId === productId)) {
      state.lines = state.lines.filter((line) => line.productId !== productId);
      await this.#save(touched(state));
    }
    return this.#render(userId);
  }

  async #setQuantity(
    userId: string | null,
    productId: string,
    next: (current: number) => number,
  ): Promise<Outcome> {
    const before = this.#load();
    if (!before || !canUse(before, userId)) return notFound();
    let quotes: Quotes;
    try {
      quotes = await this.#quote([...before.lines.map((line) => line.productId), productId]);
    } catch (error) {
      return unavailable(error);
    }
    // Decided on the state as it is after the await: a concurrent change is never lost.
    const state = this.#load();
    if (!state || !canUse(state, userId)) return notFound();
    const quantity = next(state.lines.find((line) => line.productId === productId)?.quantity ?? 0);
    const refused = refusal(state, quotes, productId, quantity);
    if (refused) return { ok: false, problem: refused };
    setLine(state, productId, quantity, quotes);
    await this.#save(touched(state));
    return this.#render(userId, quotes);
  }

  /**
   * Claim, on the guest cart: its lines move into `target` (the user's cart) exactly once. The lines leave this
   * cart and wait in a pending claim until the target has them (`absorb`, idempotent per claim id): a second
   * claim at the same time finds the claim pending and completes the same one; one that fails is retried by the
   * alarm.
   */
  async claimInto(userId: string, target: string): Promise<ClaimOutcome> {
    const state = this.#load();
    if (!state) return { kind: "not_found" };
    if (state.owner !== null) return state.owner === userId ? { kind: "own" } : { kind: "not_found" };
    if (checkoutRunning(state, Date.now())) return { kind: "busy" };
    let claim = state.claim;
    if (!claim) {
      if (state.lines.length === 0) return { kind: "nothing" };
      claim = { claimId: crypto.randomUUID(), target, userId, lines: state.lines };
      state.claim = claim;
      state.lines = [];
      state.checkout = null;
      await this.#save(touched(state));
      await this.#alarmBy(Date.now() + CLAIM_RETRY_MS);
    }
    return { kind: "moved", outcome: await this.#transfer(claim), mine: claim.userId === userId };
  }

  async #transfer(claim: NonNullable<CartState["claim"]>): Promise<Outcome> {
    const outcome = await cartStub(this.env, claim.target).absorb(
      claim.target,
      claim.userId,
      claim.claimId,
      claim.lines,
    );
    const state = this.#load();
    if (outcome.ok && state?.claim?.claimId === claim.claimId) {
      state.claim = null;
      await this.#save(state);
    }
    return outcome;
  }

  /** Claim, on the user's cart: takes a guest cart's lines in, once per claim id. */
  async absorb(cartId: string, owner: string, claimId: string, lines: StoredLine[]): Promise<Outcome> {
    const before = this.#load();
    if (before && before.owner !== owner) return notFound();
    if (before?.absorbed.includes(claimId)) return this.#render(owner);
    let quotes: Quotes;
    try {
      quotes = await this.#quote([...(before?.lines ?? []), ...lines].map((line) => line.productId));
    } catch (error) {
      return unavailable(error);
    }
    const state = this.#load() ?? freshCart(cartId, owner, Date.now());
    if (state.owner !== owner) return notFound();
    if (!state.absorbed.includes(claimId)) {
      mergeLines(state, lines, quotes);
      state.absorbed = [...state.absorbed, claimId].slice(-ABSORBED_KEPT);
      await this.#save(touched(state));
    }
    return this.#render(owner, quotes);
  }

  /** Starts or joins this cart's checkout (see `CheckoutStart` in packages/contracts, and checkout.ts). */
  async beginCheckout(userId: string, replacing?: string): Promise<CheckoutStart> {
    const state = this.#load();
    const next = nextCheckout(state, userId, replacing, Date.now());
    if (next.kind === "wait") return this.#waiters.wait(next.orderId);
    if (next.kind !== "start") return next;
    if (!state) return { kind: "not_found" };
    const items = state.lines.map(({ productId, quantity }) => ({ productId, quantity }));
    const orderId = crypto.randomUUID();
    state.checkout = { orderId, userId, startedAt: Date.now(), items };
    await this.#save(state);
    return { kind: "lead", orderId, items };
  }

  /** The checkout's order exists: its lines leave the cart once; whoever waited answers that order. */
  async completeCheckout(orderId: string): Promise<void> {
    const state = this.#load();
    const pending = state?.checkout;
    if (state && pending?.orderId === orderId) {
      subtractOrdered(touched(state), pending.items);
      state.checkout = null;
      state.lastOrder = { orderId, userId: pending.userId, at: Date.now() };
      await this.#save(state);
    }
    this.#waiters.settle(orderId, { kind: "created", orderId });
  }

  /** The checkout's order was refused: the lines stay; whoever waited answers the same problem. */
  async failCheckout(orderId: string, refused: CheckoutProblem): Promise<void> {
    const state = this.#load();
    if (state?.checkout?.orderId === orderId) {
      state.checkout = null;
      await this.#save(state);
    }
    this.#waiters.settle(orderId, { kind: "failed", problem: refused });
  }

  /** Deletes the cart and its alarm (account deletion; expiry). */
  async forget(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#state = null;
    this.#alarmAt = null;
  }

  /** Finishes a pending claim, then deletes the cart if it has not changed for its lifetime, else waits again. */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    const pending = this.#load()?.claim;
    if (pending) {
      const moved = await this.#transfer(pending).catch((error: unknown) => {
        log("warn", "claim transfer failed; retried by the alarm", {
          service: "carts",
          ...errorFields(error),
        });
        return undefined;
      });
      if (!moved?.ok) return this.#alarmBy(Date.now() + CLAIM_RETRY_MS);
    }
    const state = this.#load();
    if (!state) return this.forget();
    if (Date.now() < expiresAt(state)) return this.#alarmBy(expiresAt(state));
    if (state.owner !== null) await forgetUserCart(database(this.env.DB), state.owner, state.id);
    await this.forget();
  }
}
