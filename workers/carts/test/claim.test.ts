import { describe, expect, it } from "vitest";
import {
  add,
  call,
  expectStatus,
  guestCart,
  problemOf,
  product,
  products,
  quantities,
  user,
} from "./helpers";

const claim = (cartId: string, as = user()) => call(`/api/carts/${cartId}/claim`, { method: "POST", as });

describe("claiming a guest cart at login", () => {
  it("moves its lines into the user's cart (quantities add up, capped by stock); the guest cart is then empty", async () => {
    const ada = user();
    const [shared, scarce, only] = await Promise.all([
      product({ stock: 50 }),
      product({ stock: 4 }),
      product({ price: 300 }),
    ]);
    const { cart: mine } = await expectStatus(await call("/api/cart", { as: ada }), 200);
    await add(mine.id, shared, 2, ada);
    await add(mine.id, scarce, 3, ada);
    const guest = await guestCart();
    await add(guest.id, shared, 5);
    await add(guest.id, scarce, 1);
    await add(guest.id, only, 1);
    await products.putProduct({ productId: scarce, stock: 3 });

    const { cart } = await expectStatus(await claim(guest.id, ada), 200);
    expect(cart.id).toBe(mine.id);
    // scarce: 3 + 1 capped by its stock, now 3 (what the user had is never reduced).
    expect(quantities(cart)).toEqual({ [shared]: 7, [scarce]: 3, [only]: 1 });
    const after = await expectStatus(await call(`/api/carts/${guest.id}`), 200);
    expect(after.cart.items).toEqual([]);
  });

  it("adds once when called twice at the same time", async () => {
    const ada = user();
    const productId = await product();
    const guest = await guestCart();
    await add(guest.id, productId, 3);
    const [a, b] = await Promise.all([claim(guest.id, ada), claim(guest.id, ada)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const { cart } = await expectStatus(await call("/api/cart", { as: ada }), 200);
    expect(quantities(cart)).toEqual({ [productId]: 3 });
    // And again later: nothing left to move.
    expect(quantities((await expectStatus(await claim(guest.id, ada), 200)).cart)).toEqual({
      [productId]: 3,
    });
  });

  it("moves lines once even when two users claim the same guest cart at once", async () => {
    const [ada, bob] = [user(), user()];
    const productId = await product();
    const guest = await guestCart();
    await add(guest.id, productId, 2);
    await Promise.all([claim(guest.id, ada), claim(guest.id, bob)]);
    const carts = await Promise.all(
      [ada, bob].map(async (as) => (await expectStatus(await call("/api/cart", { as }), 200)).cart),
    );
    expect(carts.map((c) => c.itemCount).sort()).toEqual([0, 2]);
  });

  it("drops lines of products no longer sold; keeps the user's cart as it was otherwise", async () => {
    const ada = user();
    const [gone, kept] = await Promise.all([product(), product()]);
    const guest = await guestCart();
    await add(guest.id, gone, 1);
    await add(guest.id, kept, 1);
    await products.putProduct({ productId: gone, isActive: false });
    const { cart } = await expectStatus(await claim(guest.id, ada), 200);
    expect(quantities(cart)).toEqual({ [kept]: 1 });
  });

  it("claiming an empty guest cart, or one's own cart, answers the user's cart unchanged", async () => {
    const ada = user();
    const productId = await product();
    const { cart: mine } = await expectStatus(await call("/api/cart", { as: ada }), 200);
    await add(mine.id, productId, 1, ada);
    const empty = await guestCart();
    expect(quantities((await expectStatus(await claim(empty.id, ada), 200)).cart)).toEqual({
      [productId]: 1,
    });
    expect(quantities((await expectStatus(await claim(mine.id, ada), 200)).cart)).toEqual({ [productId]: 1 });
  });

  it("another user's cart, an unknown id or no token: 404, 404, 401", async () => {
    const ada = user();
    const { cart } = await expectStatus(await call("/api/cart", { as: ada }), 200);
    expect((await problemOf(await claim(cart.id))).status).toBe(404);
    expect((await problemOf(await claim("f".repeat(32)))).status).toBe(404);
    expect((await call(`/api/carts/${cart.id}/claim`, { method: "POST" })).status).toBe(401);
  });
});
