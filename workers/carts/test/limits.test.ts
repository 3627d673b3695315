import { describe, expect, it } from "vitest";
import { add, call, guestCart, problemOf, product, products } from "./helpers";

const addRaw = (cartId: string, productId: string, quantity: number) =>
  call(`/api/carts/${cartId}/items`, { json: { productId, quantity } });

describe("what a cart refuses", () => {
  it("an unknown or inactive product: 404 product_not_found", async () => {
    const off = await product({ isActive: false });
    const { id } = await guestCart();
    expect(await problemOf(await addRaw(id, "no-such-product", 1))).toMatchObject({
      status: 404,
      code: "product_not_found",
    });
    expect(await problemOf(await addRaw(id, off, 1))).toMatchObject({
      status: 404,
      code: "product_not_found",
    });
  });

  it("beyond stock: 409 insufficient_stock, the line unchanged", async () => {
    const productId = await product({ stock: 3 });
    const { id } = await guestCart();
    await add(id, productId, 2);
    expect(await problemOf(await addRaw(id, productId, 2))).toMatchObject({
      status: 409,
      code: "insufficient_stock",
    });
    const patch = await call(`/api/carts/${id}/items/${productId}`, {
      method: "PATCH",
      json: { quantity: 4 },
    });
    expect((await problemOf(patch)).code).toBe("insufficient_stock");
    const cart = await add(id, productId, 1);
    expect(cart.items[0]?.quantity).toBe(3);
  });

  it("more than 100 units of a line: 400 in one request, 409 quantity_limit in sum", async () => {
    const productId = await product({ stock: 1000 });
    const { id } = await guestCart();
    expect((await addRaw(id, productId, 101)).status).toBe(400);
    await add(id, productId, 60);
    expect(await problemOf(await addRaw(id, productId, 41))).toMatchObject({
      status: 409,
      code: "quantity_limit",
    });
    expect((await add(id, productId, 40)).items[0]?.quantity).toBe(100);
  });

  it("a 51st line: 409 cart_full", async () => {
    const ids = await Promise.all(Array.from({ length: 51 }, () => product()));
    const { id } = await guestCart();
    for (const productId of ids.slice(0, 50)) await add(id, productId, 1);
    expect(await problemOf(await addRaw(id, ids[50] ?? "", 1))).toMatchObject({
      status: 409,
      code: "cart_full",
    });
    // More of a product already in the cart is still fine.
    expect((await add(id, ids[0] ?? "", 1)).items).toHaveLength(50);
  });

  it("more than the product's per-order limit: 409 max_per_order_exceeded", async () => {
    const productId = await product({ maxPerOrder: 2 });
    const { id } = await guestCart();
    await add(id, productId, 2);
    expect(await problemOf(await addRaw(id, productId, 1))).toMatchObject({
      status: 409,
      code: "max_per_order_exceeded",
    });
  });

  it("a product in another currency than the cart's: 409 mixed_currency", async () => {
    const [usd, eur] = await Promise.all([product(), product({ currency: "EUR" })]);
    const { id } = await guestCart();
    await add(id, usd, 1);
    expect(await problemOf(await addRaw(id, eur, 1))).toMatchObject({ status: 409, code: "mixed_currency" });
  });

  it("bad bodies (400) and a line not in the cart (404)", async () => {
    const productId = await product();
    const { id } = await guestCart();
    expect((await call(`/api/carts/${id}/items`, { json: { productId, quantity: 0 } })).status).toBe(400);
    expect((await call(`/api/carts/${id}/items`, { json: { quantity: 1 } })).status).toBe(400);
    const patch = await call(`/api/carts/${id}/items/${productId}`, {
      method: "PATCH",
      json: { quantity: 2 },
    });
    expect(await problemOf(patch)).toMatchObject({ status: 404, code: "line_not_found" });
    const negative = await call(`/api/carts/${id}/items/${productId}`, {
      method: "PATCH",
      json: { quantity: -1 },
    });
    expect(negative.status).toBe(400);
  });

  it("an unreachable catalog: 503 products_unavailable, the cart unchanged", async () => {
    const productId = await product();
    const { id } = await guestCart();
    await add(id, productId, 1);
    await products.failQuotes(1);
    expect(await problemOf(await addRaw(id, productId, 1))).toMatchObject({
      status: 503,
      code: "products_unavailable",
    });
    expect((await add(id, productId, 1)).items[0]?.quantity).toBe(2);
  });
});
