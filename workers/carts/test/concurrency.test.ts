import { describe, expect, it } from "vitest";
import { call, expectStatus, guestCart, product, quantities, user } from "./helpers";

describe("one cart, many requests at once", () => {
  it("counts every one of 20 concurrent adds of a product (no lost update)", async () => {
    const productId = await product({ stock: 1000 });
    const { id } = await guestCart();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => call(`/api/carts/${id}/items`, { json: { productId, quantity: 2 } })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const { cart } = await expectStatus(await call(`/api/carts/${id}`), 200);
    expect(quantities(cart)).toEqual({ [productId]: 40 });
  });

  it("keeps every line of concurrent adds of different products, each answer priced in full", async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => product({ price: 100 })));
    const { id } = await guestCart();
    const answers = await Promise.all(
      ids.map(
        async (productId) =>
          (
            await expectStatus(
              await call(`/api/carts/${id}/items`, { json: { productId, quantity: 1 } }),
              200,
            )
          ).cart,
      ),
    );
    // Every answer prices every line it shows, even those another request added while it waited.
    for (const cart of answers) expect(cart.subtotal).toBe(100 * cart.itemCount);
    const { cart } = await expectStatus(await call(`/api/carts/${id}`), 200);
    expect(Object.keys(quantities(cart)).sort()).toEqual([...ids].sort());
  });

  it("never goes past stock when concurrent adds race for the last units", async () => {
    const productId = await product({ stock: 5 });
    const { id } = await guestCart();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => call(`/api/carts/${id}/items`, { json: { productId, quantity: 1 } })),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(5);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(3);
    const { cart } = await expectStatus(await call(`/api/carts/${id}`, { as: user() }), 200);
    expect(quantities(cart)).toEqual({ [productId]: 5 });
  });
});
