// Contract scenarios: guest and user carts, the claim, and an order from a cart.
import { describe, expect, it } from "vitest";
import { expectCall, key, session } from "./session";

interface Cart {
  id: string;
  itemCount: number;
}

/** Every cart operation, its happy path and its main errors. */
export function cartsContract(): void {
  describe("carts", () => {
    it("guest cart: 201, 200, 400, 404, 409", async () => {
      const { product } = await expectCall<{ product: { id: string } }>(201, "POST", "/api/products", {
        token: session.admin,
        json: { name: "Contract lamp", price: 2500, category: "contract", stock: 3, maxPerOrder: 2 },
      });
      const { cart } = await expectCall<{ cart: Cart }>(201, "POST", "/api/carts");
      const items = `/api/carts/${cart.id}/items`;
      await expectCall(200, "POST", items, { json: { productId: product.id, quantity: 1 } });
      await expectCall(400, "POST", items, { json: { productId: product.id, quantity: 0 } });
      await expectCall(404, "POST", items, { json: { productId: "no-such-product", quantity: 1 } });
      await expectCall(409, "POST", items, { json: { productId: product.id, quantity: 2 } });
      await expectCall(200, "PATCH", `${items}/${product.id}`, { json: { quantity: 2 } });
      await expectCall(400, "PATCH", `${items}/${product.id}`, { json: { quantity: -1 } });
      await expectCall(404, "PATCH", `${items}/other-product`, { json: { quantity: 1 } });
      await expectCall(409, "PATCH", `${items}/${product.id}`, { json: { quantity: 3 } });
      const read = await expectCall<{ cart: Cart }>(200, "GET", `/api/carts/${cart.id}`);
      expect(read.cart.itemCount).toBe(2);
      await expectCall(404, "GET", `/api/carts/${"0".repeat(32)}`);
      await expectCall(400, "GET", `/api/carts/${"x".repeat(101)}`);
      await expectCall(200, "DELETE", `${items}/${product.id}`);
      await expectCall(404, "DELETE", `/api/carts/${"0".repeat(32)}/items/${product.id}`);
    });

    it("user cart, claim and checkout: 200, 201, 401, 404", async () => {
      const { product } = await expectCall<{ product: { id: string } }>(201, "POST", "/api/products", {
        token: session.admin,
        json: { name: "Contract shade", price: 900, category: "contract", stock: 10 },
      });
      await expectCall(401, "GET", "/api/cart");
      const mine = await expectCall<{ cart: Cart }>(200, "GET", "/api/cart", { token: session.buyer.token });
      const again = await expectCall<{ cart: Cart }>(201, "POST", "/api/carts", {
        token: session.buyer.token,
      });
      expect(again.cart.id).toBe(mine.cart.id);
      await expectCall(404, "GET", `/api/carts/${mine.cart.id}`, { token: session.other.token });

      const { cart: guest } = await expectCall<{ cart: Cart }>(201, "POST", "/api/carts");
      await expectCall(200, "POST", `/api/carts/${guest.id}/items`, {
        json: { productId: product.id, quantity: 2 },
      });
      await expectCall(401, "POST", `/api/carts/${guest.id}/claim`);
      await expectCall(404, "POST", `/api/carts/${mine.cart.id}/claim`, { token: session.other.token });
      const claimed = await expectCall<{ cart: Cart }>(200, "POST", `/api/carts/${guest.id}/claim`, {
        token: session.buyer.token,
      });
      expect(claimed.cart.id).toBe(mine.cart.id);

      const shippingAddress = { line1: "1 Main St", city: "Springfield" };
      await expectCall(201, "POST", "/api/orders", {
        token: session.buyer.token,
        headers: key(),
        json: { cartId: mine.cart.id, shippingAddress },
      });
      await expectCall(409, "POST", "/api/orders", {
        token: session.other.token,
        headers: key(),
        json: {
          cartId: (await expectCall<{ cart: Cart }>(200, "GET", "/api/cart", { token: session.other.token }))
            .cart.id,
          shippingAddress,
        },
      });
      await expectCall(404, "POST", "/api/orders", {
        token: session.other.token,
        headers: key(),
        json: { cartId: mine.cart.id, shippingAddress },
      });
    });
  });
}
