import { exports } from "cloudflare:workers";
import type { CheckoutProblem } from "@edge-shop/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CHECKOUT_LEASE_MS, LAST_ORDER_MS } from "../src/domain/checkout";
import { add, call, expectStatus, guestCart, product, quantities, user } from "./helpers";

const rpc = exports.CartsRpc;
const refused: CheckoutProblem = { status: 409, code: "insufficient_stock", detail: "Not enough stock" };

async function userCartWith(lines: Record<string, number>) {
  const ada = user();
  const { cart } = await expectStatus(await call("/api/cart", { as: ada }), 200);
  for (const [productId, quantity] of Object.entries(lines)) await add(cart.id, productId, quantity, ada);
  return { ada, cartId: cart.id };
}

describe("checkout of a cart (CartsRpc, for orders)", () => {
  afterEach(() => vi.useRealTimers());

  it("leads with exactly the cart's lines; once the order exists they leave the cart", async () => {
    const [a, b] = await Promise.all([product(), product()]);
    const { ada, cartId } = await userCartWith({ [a]: 2, [b]: 1 });
    const start = await rpc.beginCheckout(cartId, ada);
    expect(start).toEqual({
      kind: "lead",
      orderId: expect.any(String),
      items: [
        { productId: a, quantity: 2 },
        { productId: b, quantity: 1 },
      ],
    });
    if (start.kind !== "lead") return;
    await rpc.completeCheckout(cartId, start.orderId);
    await rpc.completeCheckout(cartId, start.orderId);
    const { cart } = await expectStatus(await call(`/api/carts/${cartId}`, { as: ada }), 200);
    expect(cart.items).toEqual([]);
  });

  it("makes every concurrent checkout wait for the first one's order, and answer it", async () => {
    const productId = await product();
    const { ada, cartId } = await userCartWith({ [productId]: 1 });
    const lead = await rpc.beginCheckout(cartId, ada);
    if (lead.kind !== "lead") throw new Error(`expected lead, got ${lead.kind}`);
    const followers = Promise.all([rpc.beginCheckout(cartId, ada), rpc.beginCheckout(cartId, ada)]);
    await rpc.completeCheckout(cartId, lead.orderId);
    expect(await followers).toEqual([
      { kind: "created", orderId: lead.orderId },
      { kind: "created", orderId: lead.orderId },
    ]);
    // A late one, before the cart changes again, answers the same order; much later, the cart is just empty.
    expect(await rpc.beginCheckout(cartId, ada)).toEqual({ kind: "created", orderId: lead.orderId });
    vi.useFakeTimers({ now: Date.now() + LAST_ORDER_MS + 1000, toFake: ["Date"] });
    expect(await rpc.beginCheckout(cartId, ada)).toEqual({ kind: "empty" });
  });

  it("keeps the lines when the order is refused; those who waited answer the same refusal", async () => {
    const productId = await product();
    const { ada, cartId } = await userCartWith({ [productId]: 3 });
    const lead = await rpc.beginCheckout(cartId, ada);
    if (lead.kind !== "lead") throw new Error(`expected lead, got ${lead.kind}`);
    const follower = rpc.beginCheckout(cartId, ada);
    await rpc.failCheckout(cartId, lead.orderId, refused);
    expect(await follower).toEqual({ kind: "failed", problem: refused });
    const { cart } = await expectStatus(await call(`/api/carts/${cartId}`, { as: ada }), 200);
    expect(quantities(cart)).toEqual({ [productId]: 3 });
    const next = await rpc.beginCheckout(cartId, ada);
    expect(next).toMatchObject({ kind: "lead" });
    expect(next.kind === "lead" && next.orderId).not.toBe(lead.orderId);
  });

  it("keeps what was added while the order was being placed", async () => {
    const [a, b] = await Promise.all([product(), product()]);
    const { ada, cartId } = await userCartWith({ [a]: 1 });
    const lead = await rpc.beginCheckout(cartId, ada);
    if (lead.kind !== "lead") throw new Error(`expected lead, got ${lead.kind}`);
    await add(cartId, a, 1, ada);
    await add(cartId, b, 2, ada);
    await rpc.completeCheckout(cartId, lead.orderId);
    const { cart } = await expectStatus(await call(`/api/carts/${cartId}`, { as: ada }), 200);
    expect(quantities(cart)).toEqual({ [a]: 1, [b]: 2 });
    // Until the cart changes again, a checkout is taken for a late copy of the one that ordered.
    expect(await rpc.beginCheckout(cartId, ada)).toEqual({ kind: "created", orderId: lead.orderId });
    await add(cartId, b, 1, ada);
    expect(await rpc.beginCheckout(cartId, ada)).toMatchObject({
      kind: "lead",
      items: [
        { productId: a, quantity: 1 },
        { productId: b, quantity: 3 },
      ],
    });
  });

  it("reports a checkout whose caller went silent past its lease as stale; replacing it starts anew", async () => {
    const productId = await product();
    const { ada, cartId } = await userCartWith({ [productId]: 1 });
    const lead = await rpc.beginCheckout(cartId, ada);
    if (lead.kind !== "lead") throw new Error(`expected lead, got ${lead.kind}`);
    vi.useFakeTimers({ now: Date.now() + CHECKOUT_LEASE_MS + 1000, toFake: ["Date"] });
    expect(await rpc.beginCheckout(cartId, ada)).toEqual({ kind: "stale", orderId: lead.orderId });
    const again = await rpc.beginCheckout(cartId, ada, lead.orderId);
    expect(again).toMatchObject({ kind: "lead", items: [{ productId, quantity: 1 }] });
    expect(again.kind === "lead" && again.orderId).not.toBe(lead.orderId);
  });

  it("answers empty, not_found for another user's or an unknown cart, and lets a guest cart be checked out", async () => {
    const ada = user();
    const { cart } = await expectStatus(await call("/api/cart", { as: ada }), 200);
    expect(await rpc.beginCheckout(cart.id, ada)).toEqual({ kind: "empty" });
    expect(await rpc.beginCheckout(cart.id, user())).toEqual({ kind: "not_found" });
    expect(await rpc.beginCheckout("nope", ada)).toEqual({ kind: "not_found" });
    const productId = await product();
    const guest = await guestCart();
    await add(guest.id, productId, 1);
    expect(await rpc.beginCheckout(guest.id, ada)).toMatchObject({ kind: "lead" });
    // Another user checking out the same guest cart meanwhile is told it is busy.
    expect(await rpc.beginCheckout(guest.id, user())).toEqual({ kind: "busy" });
  });
});
