import { describe, expect, it } from "vitest";
import { add, call, expectStatus, guestCart, product, user } from "./helpers";

describe("who reaches a cart", () => {
  it("a user's cart is 404 to every other caller, signed in or not, for every operation", async () => {
    const [ada, eve] = [user(), user()];
    const productId = await product();
    const { cart } = await expectStatus(await call("/api/cart", { as: ada }), 200);
    await add(cart.id, productId, 1, ada);
    const path = `/api/carts/${cart.id}`;
    for (const as of [eve, undefined]) {
      expect((await call(path, { as })).status).toBe(404);
      expect((await call(`${path}/items`, { as, json: { productId, quantity: 1 } })).status).toBe(404);
      expect(
        (await call(`${path}/items/${productId}`, { as, method: "PATCH", json: { quantity: 5 } })).status,
      ).toBe(404);
      expect((await call(`${path}/items/${productId}`, { as, method: "DELETE" })).status).toBe(404);
    }
    expect((await call(`${path}/claim`, { as: eve, method: "POST" })).status).toBe(404);
    // Untouched.
    const mine = await expectStatus(await call(path, { as: ada }), 200);
    expect(mine.cart.items).toEqual([expect.objectContaining({ productId, quantity: 1 })]);
  });

  it("a guest cart is anyone's who holds its id, signed in or not", async () => {
    const productId = await product();
    const { id } = await guestCart();
    await add(id, productId, 1, user());
    await add(id, productId, 1);
    const { cart } = await expectStatus(await call(`/api/carts/${id}`, { as: user() }), 200);
    expect(cart.items[0]?.quantity).toBe(2);
  });

  it("an unknown or malformed id is 404, never a new cart", async () => {
    expect((await call(`/api/carts/${"0".repeat(32)}`)).status).toBe(404);
    expect((await call("/api/carts/not-a-cart-id")).status).toBe(404);
    expect(
      (await call(`/api/carts/${"0".repeat(32)}/items`, { json: { productId: "p", quantity: 1 } })).status,
    ).toBe(404);
  });
});
