import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, expectJson, registerUser } from "./client";

// Carts through the gateway: guest and user carts, live prices, who may reach which, the claim at login.

interface Cart {
  id: string;
  userId: string | null;
  items: {
    productId: string;
    name: string;
    unitPrice: number;
    quantity: number;
    lineTotal: number;
    available: boolean;
  }[];
  subtotal: number;
  currency: string;
  itemCount: number;
  updatedAt: string;
  expiresAt: string;
}

let admin: string;

beforeAll(async () => {
  admin = await adminToken();
});

async function createProduct(fields: { price?: number; stock?: number; maxPerOrder?: number } = {}) {
  const response = await api("/api/products", {
    method: "POST",
    token: admin,
    json: { name: `E2E cart ${crypto.randomUUID()}`, price: 1000, category: "e2e", stock: 10, ...fields },
  });
  return (await expectJson<{ product: { id: string } }>(response, 201)).product.id;
}

async function newGuestCart(): Promise<Cart> {
  return (await expectJson<{ cart: Cart }>(await api("/api/carts", { method: "POST" }), 201)).cart;
}

const add = (cartId: string, productId: string, quantity: number, token?: string) =>
  api(`/api/carts/${cartId}/items`, { method: "POST", token, json: { productId, quantity } });

async function added(cartId: string, productId: string, quantity: number, token?: string): Promise<Cart> {
  return (await expectJson<{ cart: Cart }>(await add(cartId, productId, quantity, token), 200)).cart;
}

describe("carts through the gateway", () => {
  it("a guest fills a cart with no token; it shows current prices and marks what stock no longer covers", async () => {
    const productId = await createProduct({ price: 1500, stock: 5 });
    const guest = await newGuestCart();
    expect(guest).toMatchObject({ userId: null, items: [], subtotal: 0, itemCount: 0 });
    expect(guest.id).toMatch(/^[0-9a-f]{32}$/);
    const cart = await added(guest.id, productId, 4);
    expect(cart).toMatchObject({ subtotal: 6000, itemCount: 4, currency: "USD" });

    // The admin changes the price and sells most of the stock: the cart says so on its next read.
    await expectJson(
      await api(`/api/products/${productId}`, {
        method: "PATCH",
        token: admin,
        json: { price: 1800, stock: 2 },
      }),
      200,
    );
    const { cart: now } = await expectJson<{ cart: Cart }>(await api(`/api/carts/${guest.id}`), 200);
    expect(now.items).toEqual([
      expect.objectContaining({ productId, unitPrice: 1800, lineTotal: 7200, available: false }),
    ]);
    const problem = await expectJson<{ code: string }>(await add(guest.id, productId, 1), 409);
    expect(problem.code).toBe("insufficient_stock");
  });

  it("refuses unknown products (404), more than the product's per-order limit (409), a 101st unit (409)", async () => {
    const [limited, plenty] = await Promise.all([
      createProduct({ maxPerOrder: 2 }),
      createProduct({ stock: 500 }),
    ]);
    const { id } = await newGuestCart();
    expect((await expectJson<{ code: string }>(await add(id, "no-such-product", 1), 404)).code).toBe(
      "product_not_found",
    );
    await added(id, limited, 2);
    expect((await expectJson<{ code: string }>(await add(id, limited, 1), 409)).code).toBe(
      "max_per_order_exceeded",
    );
    await added(id, plenty, 100);
    expect((await expectJson<{ code: string }>(await add(id, plenty, 1), 409)).code).toBe("quantity_limit");
    await expectJson(await add(id, plenty, 0), 400);
  });

  it("a user's cart answers only its owner (404 to another user and to anyone without a token)", async () => {
    const [ada, eve] = await Promise.all([registerUser(), registerUser()]);
    const productId = await createProduct();
    const { cart } = await expectJson<{ cart: Cart }>(await api("/api/cart", { token: ada.token }), 200);
    expect(cart.userId).toBe(ada.user.id);
    await added(cart.id, productId, 1, ada.token);
    for (const token of [eve.token, undefined]) {
      await expectJson(await api(`/api/carts/${cart.id}`, { token }), 404);
      await expectJson(await add(cart.id, productId, 1, token), 404);
      await expectJson(
        await api(`/api/carts/${cart.id}/items/${productId}`, { method: "DELETE", token }),
        404,
      );
    }
    await expectJson(await api(`/api/carts/${cart.id}/claim`, { method: "POST", token: eve.token }), 404);
    await expectJson(await api("/api/cart"), 401);
    const mine = await expectJson<{ cart: Cart }>(
      await api(`/api/carts/${cart.id}`, { token: ada.token }),
      200,
    );
    expect(mine.cart.itemCount).toBe(1);
  });

  it("claims a guest cart at login once, even when claimed twice at the same time; the guest cart is then empty", async () => {
    const ada = await registerUser();
    const [a, b] = await Promise.all([createProduct(), createProduct({ stock: 3 })]);
    const { cart: mine } = await expectJson<{ cart: Cart }>(
      await api("/api/cart", { token: ada.token }),
      200,
    );
    await added(mine.id, b, 2, ada.token);
    const guest = await newGuestCart();
    await added(guest.id, a, 2);
    await added(guest.id, b, 3);
    const claim = () => api(`/api/carts/${guest.id}/claim`, { method: "POST", token: ada.token });
    const [first, second] = await Promise.all([claim(), claim()]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const { cart } = await expectJson<{ cart: Cart }>(await api("/api/cart", { token: ada.token }), 200);
    // a: 2 moved once; b: 2 + 3 capped by its stock (3).
    expect(Object.fromEntries(cart.items.map((i) => [i.productId, i.quantity]))).toEqual({ [a]: 2, [b]: 3 });
    const emptied = await expectJson<{ cart: Cart }>(await api(`/api/carts/${guest.id}`), 200);
    expect(emptied.cart.items).toEqual([]);
  });
});
