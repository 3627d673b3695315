import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, expectJson, registerUser } from "./client";

// Checkout from a server cart, and the policy that keeps anyone from hoarding stock with unpaid orders.

type Order = { id: string; status: string; total: number; items: { productId: string; quantity: number }[] };
const address = { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" };
let admin: string;

beforeAll(async () => {
  admin = await adminToken();
});

async function createProduct(stock: number, price = 1200) {
  const response = await api("/api/products", {
    method: "POST",
    token: admin,
    json: { name: `E2E cart checkout ${crypto.randomUUID()}`, price, category: "e2e", stock },
  });
  return (await expectJson<{ product: { id: string } }>(response, 201)).product.id;
}

async function stockOf(productId: string) {
  return (await expectJson<{ product: { stock: number } }>(await api(`/api/products/${productId}`), 200))
    .product.stock;
}

async function cartWith(token: string, lines: Record<string, number>) {
  const { cart } = await expectJson<{ cart: { id: string } }>(await api("/api/cart", { token }), 200);
  for (const [productId, quantity] of Object.entries(lines)) {
    await expectJson(
      await api(`/api/carts/${cart.id}/items`, { method: "POST", token, json: { productId, quantity } }),
      200,
    );
  }
  return cart.id;
}

const checkout = (token: string, cartId: string, key: string = crypto.randomUUID()) =>
  api("/api/orders", {
    method: "POST",
    token,
    headers: { "idempotency-key": key },
    json: { cartId, shippingAddress: address },
  });

async function itemCount(token: string) {
  return (await expectJson<{ cart: { itemCount: number } }>(await api("/api/cart", { token }), 200)).cart
    .itemCount;
}

describe("checkout from the cart", () => {
  it("orders the cart's lines at the current price, empties the cart once, and a replay changes nothing", async () => {
    const buyer = await registerUser();
    const productId = await createProduct(10, 1200);
    const cartId = await cartWith(buyer.token, { [productId]: 3 });
    await expectJson(
      await api(`/api/products/${productId}`, { method: "PATCH", token: admin, json: { price: 900 } }),
      200,
    );
    const key = crypto.randomUUID();
    const { order } = await expectJson<{ order: Order }>(await checkout(buyer.token, cartId, key), 201);
    expect(order).toMatchObject({ status: "pending", total: 2700, items: [{ productId, quantity: 3 }] });
    expect(await itemCount(buyer.token)).toBe(0);
    // Something new in the cart, then the first request replayed: same answer, and the cart keeps the new line.
    await cartWith(buyer.token, { [productId]: 1 });
    const replay = await checkout(buyer.token, cartId, key);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect((await expectJson<{ order: Order }>(replay, 201)).order.id).toBe(order.id);
    expect(await itemCount(buyer.token)).toBe(1);
  });

  it("makes ONE order of a cart checked out five times at once with different keys, and every attempt answers it", async () => {
    const buyer = await registerUser();
    const productId = await createProduct(10);
    const cartId = await cartWith(buyer.token, { [productId]: 2 });
    const responses = await Promise.all(Array.from({ length: 5 }, () => checkout(buyer.token, cartId)));
    const bodies = await Promise.all(
      responses.map(async (r) => ({ status: r.status, body: (await r.json()) as { order?: Order } })),
    );
    expect(bodies.map((b) => b.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(bodies.map((b) => b.body.order?.id)).size).toBe(1);
    const list = await expectJson<{ orders: Order[] }>(await api("/api/orders", { token: buyer.token }), 200);
    expect(list.orders).toHaveLength(1);
    expect(await stockOf(productId)).toBe(8);
    expect(await itemCount(buyer.token)).toBe(0);
  });

  it("leaves the cart as it was when the order is refused", async () => {
    const buyer = await registerUser();
    const productId = await createProduct(5);
    const cartId = await cartWith(buyer.token, { [productId]: 4 });
    await expectJson(
      await api(`/api/products/${productId}`, { method: "PATCH", token: admin, json: { stock: 2 } }),
      200,
    );
    const problem = await expectJson<{ code: string }>(await checkout(buyer.token, cartId), 409);
    expect(problem.code).toBe("insufficient_stock");
    expect(await itemCount(buyer.token)).toBe(4);
    expect(await stockOf(productId)).toBe(2);
  });

  it("refuses an empty cart (409) and another user's cart (404)", async () => {
    const [buyer, other] = await Promise.all([registerUser(), registerUser()]);
    const empty = await cartWith(buyer.token, {});
    expect((await expectJson<{ code: string }>(await checkout(buyer.token, empty), 409)).code).toBe(
      "cart_empty",
    );
    await expectJson(await checkout(other.token, empty), 404);
  });
});

describe("nobody can hoard stock", () => {
  it("gives one user at most 3 unpaid orders, even when 10 are placed at once", async () => {
    const buyer = await registerUser();
    const productId = await createProduct(100);
    const place = () =>
      api("/api/orders", {
        method: "POST",
        token: buyer.token,
        headers: { "idempotency-key": crypto.randomUUID() },
        json: { items: [{ productId, quantity: 1 }], shippingAddress: address },
      });
    const responses = await Promise.all(Array.from({ length: 10 }, place));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    for (const r of responses.filter((r) => r.status === 409)) {
      expect(await r.json()).toMatchObject({ code: "too_many_pending_orders" });
    }
    expect(await stockOf(productId)).toBe(97);
  });

  it("refuses more of a limited product than its maxPerOrder in one order", async () => {
    const buyer = await registerUser();
    const productId = await createProduct(10);
    await expectJson(
      await api(`/api/products/${productId}`, { method: "PATCH", token: admin, json: { maxPerOrder: 1 } }),
      200,
    );
    const response = await api("/api/orders", {
      method: "POST",
      token: buyer.token,
      headers: { "idempotency-key": crypto.randomUUID() },
      json: { items: [{ productId, quantity: 2 }], shippingAddress: address },
    });
    expect((await expectJson<{ code: string }>(response, 409)).code).toBe("max_per_order_exceeded");
  });
});
