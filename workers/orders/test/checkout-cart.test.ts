import type { Order } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { address, call, carts, pid, placeOrder, products, user } from "./helpers";

const newCartId = () => crypto.randomUUID().replaceAll("-", "");

async function checkout(as: ReturnType<typeof user>, cartId: string, key = crypto.randomUUID()) {
  return call("/api/orders", { as, key, json: { cartId, shippingAddress: address } });
}

async function cartOf(as: ReturnType<typeof user>, lines: Record<string, number>) {
  const cartId = newCartId();
  const items = Object.entries(lines).map(([productId, quantity]) => ({ productId, quantity }));
  await carts.putCart(cartId, as.userId, items);
  return cartId;
}

describe("POST /api/orders { cartId }", () => {
  it("orders exactly the cart's lines at the current prices, then empties the cart", async () => {
    const as = user();
    const [a, b] = [pid("usd", 250, 10), pid("usd", 999, 10)];
    const cartId = await cartOf(as, { [a]: 2, [b]: 1 });
    const response = await checkout(as, cartId);
    expect(response.status).toBe(201);
    const { order } = (await response.json()) as { order: Order };
    expect(
      order.items.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice })),
    ).toEqual([
      { productId: a, quantity: 2, unitPrice: 250 },
      { productId: b, quantity: 1, unitPrice: 999 },
    ]);
    expect(order.total).toBe(1499);
    const cart = await carts.cartState(cartId);
    expect(cart.completes).toEqual([order.id]);
    expect(cart.items).toEqual([]);
    expect([await products.stockOf(a), await products.stockOf(b)]).toEqual([8, 9]);
  });

  it("answers a replay of the same key from the first answer, without emptying the cart again", async () => {
    const as = user();
    const productId = pid("usd", 100, 10);
    const cartId = await cartOf(as, { [productId]: 1 });
    const key = crypto.randomUUID();
    const first = (await (await checkout(as, cartId, key)).json()) as { order: Order };
    const replay = await checkout(as, cartId, key);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as { order: Order }).order.id).toBe(first.order.id);
    const cart = await carts.cartState(cartId);
    expect([cart.begins.length, cart.completes]).toEqual([1, [first.order.id]]);
  });

  it("leaves the cart as it was when the order is refused, and tells the cart why", async () => {
    const as = user();
    const productId = pid("usd", 100, 1);
    const cartId = await cartOf(as, { [productId]: 2 });
    const response = await checkout(as, cartId);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: "insufficient_stock" });
    const cart = await carts.cartState(cartId);
    expect(cart.items).toEqual([{ productId, quantity: 2 }]);
    expect(cart.completes).toEqual([]);
    expect(cart.fails).toEqual([
      {
        orderId: expect.any(String),
        problem: expect.objectContaining({ status: 409, code: "insufficient_stock" }),
      },
    ]);
    expect(await products.stockOf(productId)).toBe(1);
  });

  it("answers the order the cart's checkout already made (another tab, another key)", async () => {
    const as = user();
    const cartId = await cartOf(as, { [pid("usd", 100, 5)]: 1 });
    const first = (await (await checkout(as, cartId)).json()) as { order: Order };
    const second = await checkout(as, cartId);
    expect(second.status).toBe(201);
    expect(((await second.json()) as { order: Order }).order).toEqual(first.order);
  });

  it("answers the refusal the checkout it waited for got, and 409 while the cart stays busy", async () => {
    const as = user();
    const cartId = await cartOf(as, { [pid("usd", 100, 5)]: 1 });
    const refused = { status: 409 as const, code: "insufficient_stock", detail: "Not enough stock for: p" };
    await carts.script(cartId, [{ kind: "failed", problem: refused }, { kind: "busy" }]);
    expect(await (await checkout(as, cartId)).json()).toMatchObject({
      status: 409,
      code: "insufficient_stock",
    });
    const busy = await checkout(as, cartId);
    expect([busy.status, busy.headers.get("retry-after")]).toEqual([409, "1"]);
    expect(await busy.json()).toMatchObject({ code: "checkout_in_progress" });
  });

  it("finds the order of a checkout whose caller went silent, or replaces that checkout when there is none", async () => {
    const as = user();
    const productId = pid("usd", 100, 5);
    const done = await placeOrder(as, [{ productId, quantity: 1 }]);
    const cartId = await cartOf(as, { [productId]: 1 });
    await carts.script(cartId, [{ kind: "stale", orderId: done.id }]);
    const found = (await (await checkout(as, cartId)).json()) as { order: Order };
    expect(found.order.id).toBe(done.id);
    expect((await carts.cartState(cartId)).completes).toEqual([done.id]);

    const other = await cartOf(as, { [productId]: 1 });
    await carts.script(other, [{ kind: "stale", orderId: "never-written" }]);
    const fresh = await checkout(as, other);
    expect(fresh.status).toBe(201);
    expect((await carts.cartState(other)).begins).toEqual([null, "never-written"]);
  });

  it("refuses an empty cart (409), someone else's or an unknown one (404), and items with cartId (400)", async () => {
    const as = user();
    const empty = await cartOf(as, {});
    expect(await (await checkout(as, empty)).json()).toMatchObject({ status: 409, code: "cart_empty" });
    const theirs = await cartOf(user(), { [pid("usd", 100, 5)]: 1 });
    expect((await checkout(as, theirs)).status).toBe(404);
    expect((await checkout(as, newCartId())).status).toBe(404);
    const both = await call("/api/orders", {
      as,
      key: crypto.randomUUID(),
      json: {
        cartId: empty,
        items: [{ productId: pid("usd", 1, 1), quantity: 1 }],
        shippingAddress: address,
      },
    });
    expect(both.status).toBe(400);
    const neither = await call("/api/orders", {
      as,
      key: crypto.randomUUID(),
      json: { shippingAddress: address },
    });
    expect(neither.status).toBe(400);
  });
});
