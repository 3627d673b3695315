import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { findUserCart } from "../src/db/queries/user-carts";
import { add, call, expectStatus, product, user } from "./helpers";

const rpc = exports.CartsRpc;

describe("CartsRpc for account export and deletion", () => {
  it("cartOf answers the user's cart as the API shows it, or null", async () => {
    const ada = user();
    expect(await rpc.cartOf(ada.userId)).toBeNull();
    const productId = await product({ price: 700 });
    const { cart } = await expectStatus(await call("/api/cart", { as: ada }), 200);
    await add(cart.id, productId, 2, ada);
    expect(await rpc.cartOf(ada.userId)).toMatchObject({
      id: cart.id,
      userId: ada.userId,
      subtotal: 1400,
      items: [expect.objectContaining({ productId, quantity: 2 })],
    });
  });

  it("forgetUser deletes the cart and the record of it; a second call finds nothing", async () => {
    const ada = user();
    const productId = await product();
    const { cart } = await expectStatus(await call("/api/cart", { as: ada }), 200);
    await add(cart.id, productId, 1, ada);
    expect(await rpc.forgetUser(ada.userId)).toEqual({ deleted: true });
    expect(await findUserCart(database(env.DB), ada.userId)).toBeUndefined();
    expect((await call(`/api/carts/${cart.id}`, { as: ada })).status).toBe(404);
    expect(await rpc.cartOf(ada.userId)).toBeNull();
    expect(await rpc.forgetUser(ada.userId)).toEqual({ deleted: false });
  });
});
