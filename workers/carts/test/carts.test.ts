import { describe, expect, it } from "vitest";
import { CartExpiry } from "../src/domain/cart-limits";
import { add, call, expectStatus, guestCart, product, products, quantities, user } from "./helpers";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("a guest cart", () => {
  it("is created empty with an unguessable id and no owner, for 7 days", async () => {
    const cart = await guestCart();
    expect(cart).toMatchObject({ userId: null, items: [], subtotal: 0, itemCount: 0, currency: "USD" });
    expect(cart.id).toMatch(/^[0-9a-f]{32}$/);
    const lifetime = Date.parse(cart.expiresAt) - Date.parse(cart.updatedAt);
    expect(lifetime).toBe(CartExpiry.guestTtlDays * DAY_MS);
    expect((await guestCart()).id).not.toBe(cart.id);
  });

  it("adds units (to the line when the product is there), priced by products", async () => {
    const [pen, pad] = await Promise.all([product({ price: 250 }), product({ price: 1099, name: "Pad" })]);
    const { id } = await guestCart();
    await add(id, pen, 2);
    await add(id, pad, 1);
    const cart = await add(id, pen, 1);
    expect(cart.items).toEqual([
      {
        productId: pen,
        name: `Product ${pen}`,
        unitPrice: 250,
        quantity: 3,
        lineTotal: 750,
        available: true,
      },
      { productId: pad, name: "Pad", unitPrice: 1099, quantity: 1, lineTotal: 1099, available: true },
    ]);
    expect(cart).toMatchObject({ subtotal: 1849, itemCount: 4, currency: "USD" });
  });

  it("shows the current price and stock on every read (one quote per read), never a stored price", async () => {
    const productId = await product({ price: 500, stock: 5 });
    const { id } = await guestCart();
    await add(id, productId, 4);
    await products.putProduct({ productId, price: 650, stock: 3 });
    const before = await products.quoteCalls();
    const { cart } = await expectStatus(await call(`/api/carts/${id}`), 200);
    expect(await products.quoteCalls()).toBe(before + 1);
    expect(cart.items).toEqual([
      expect.objectContaining({ unitPrice: 650, lineTotal: 2600, available: false }),
    ]);
    await products.putProduct({ productId, isActive: false, stock: 10 });
    const inactive = await expectStatus(await call(`/api/carts/${id}`), 200);
    expect(inactive.cart.items[0]?.available).toBe(false);
  });

  it("sets a line's quantity, removes it with 0 or DELETE", async () => {
    const [a, b] = await Promise.all([product(), product()]);
    const { id } = await guestCart();
    await add(id, a, 1);
    await add(id, b, 1);
    const set = await call(`/api/carts/${id}/items/${a}`, { method: "PATCH", json: { quantity: 7 } });
    expect(quantities((await expectStatus(set, 200)).cart)).toEqual({ [a]: 7, [b]: 1 });
    const zero = await call(`/api/carts/${id}/items/${a}`, { method: "PATCH", json: { quantity: 0 } });
    expect(quantities((await expectStatus(zero, 200)).cart)).toEqual({ [b]: 1 });
    const removed = await call(`/api/carts/${id}/items/${b}`, { method: "DELETE" });
    expect((await expectStatus(removed, 200)).cart.items).toEqual([]);
    // Removing what is not there changes nothing.
    const again = await call(`/api/carts/${id}/items/${b}`, { method: "DELETE" });
    expect((await expectStatus(again, 200)).cart.items).toEqual([]);
  });

  it("keeps a line whose product is gone, unpriced and unavailable", async () => {
    const productId = await product({ name: "Lamp" });
    const { id } = await guestCart();
    await add(id, productId, 2);
    const { cart } = await expectStatus(await call(`/api/carts/${id}`), 200);
    expect(cart.items[0]).toMatchObject({ name: "Lamp", available: true });
    await products.deleteProduct(productId);
    const after = await expectStatus(await call(`/api/carts/${id}`), 200);
    expect(after.cart.items[0]).toEqual({
      productId,
      name: "Lamp",
      unitPrice: 0,
      quantity: 2,
      lineTotal: 0,
      available: false,
    });
  });
});

describe("a user's cart", () => {
  it("is created on first GET /api/cart, the same on every call, for 60 days", async () => {
    const ada = user();
    const first = (await expectStatus(await call("/api/cart", { as: ada }), 200)).cart;
    expect(first).toMatchObject({ userId: ada.userId, items: [] });
    expect(Date.parse(first.expiresAt) - Date.parse(first.updatedAt)).toBe(CartExpiry.userTtlDays * DAY_MS);
    const again = (await expectStatus(await call("/api/cart", { as: ada }), 200)).cart;
    expect(again.id).toBe(first.id);
  });

  it("is what POST /api/carts answers with a token", async () => {
    const ada = user();
    const productId = await product();
    const created = (await expectStatus(await call("/api/carts", { method: "POST", as: ada }), 201)).cart;
    await add(created.id, productId, 2, ada);
    const mine = (await expectStatus(await call("/api/cart", { as: ada }), 200)).cart;
    expect(mine.id).toBe(created.id);
    expect(quantities(mine)).toEqual({ [productId]: 2 });
    const twice = (await expectStatus(await call("/api/carts", { method: "POST", as: ada }), 201)).cart;
    expect(twice.id).toBe(created.id);
  });

  it("is created once when first used twice at the same time", async () => {
    const ada = user();
    const [a, b] = await Promise.all([call("/api/cart", { as: ada }), call("/api/cart", { as: ada })]);
    const [ca, cb] = await Promise.all([expectStatus(a, 200), expectStatus(b, 200)]);
    expect(ca.cart.id).toBe(cb.cart.id);
  });

  it("GET /api/cart needs a caller", async () => {
    expect((await call("/api/cart")).status).toBe(401);
  });
});
