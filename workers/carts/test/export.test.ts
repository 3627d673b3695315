import { env } from "cloudflare:workers";
import type { Cart } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { findUserCart } from "../src/db/queries/user-carts";
import { add, call, expectStatus, guestCart, product, products, user } from "./helpers";

const exportOf = async (as: ReturnType<typeof user>) =>
  (await expectStatus<{ carts: Cart[] }>(await call("/internal/export", { as }), 200)).carts;

describe("GET /internal/export (the carts part of the account export)", () => {
  it("needs the caller", async () => {
    expect((await call("/internal/export")).status).toBe(401);
  });

  it("answers the caller's cart as GET /api/cart shows it, at today's prices; nothing of anyone else's", async () => {
    const ada = user();
    const productId = await product({ price: 700 });
    const { cart } = await expectStatus(await call("/api/cart", { as: ada }), 200);
    await add(cart.id, productId, 2, ada);
    await add((await guestCart()).id, productId, 1);
    await products.putProduct({ productId, price: 650 });

    const [exported, ...others] = await exportOf(ada);
    expect(others).toEqual([]);
    expect(exported).toMatchObject({ id: cart.id, userId: ada.userId, subtotal: 1300 });
    const shown = await expectStatus(await call("/api/cart", { as: ada }), 200);
    expect(exported).toEqual(shown.cart);
    expect(await exportOf(user())).toEqual([]);
  });

  it("is empty for a user without a cart, and creates none", async () => {
    const ada = user();
    expect(await exportOf(ada)).toEqual([]);
    expect(await findUserCart(database(env.DB), ada.userId)).toBeUndefined();
  });

  it("fails (503) rather than leave the cart out when the catalog cannot price it", async () => {
    const ada = user();
    const { cart } = await expectStatus(await call("/api/cart", { as: ada }), 200);
    await add(cart.id, await product(), 1, ada);
    await products.failQuotes(1);
    const response = await call("/internal/export", { as: ada });
    expect(response.status).toBe(503);
  });
});
