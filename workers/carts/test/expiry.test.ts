import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { database } from "../src/db/client";
import { findUserCart } from "../src/db/queries/user-carts";
import { cartStub } from "../src/domain/cart-ids";
import { CartExpiry } from "../src/domain/cart-limits";
import { add, call, expectStatus, guestCart, product, user } from "./helpers";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Sets the clock (Date only) `days` after now, for the test and the objects alike (they share the isolate). */
function daysLater(days: number) {
  vi.useRealTimers();
  vi.useFakeTimers({ now: Date.now() + days * DAY_MS, toFake: ["Date"] });
}

describe("expiry, by the cart's alarm", () => {
  afterEach(() => vi.useRealTimers());

  it("deletes a guest cart 7 days after its last change, not before", async () => {
    const productId = await product();
    const { id } = await guestCart();
    await add(id, productId, 1);
    daysLater(CartExpiry.guestTtlDays - 1);
    expect(await runDurableObjectAlarm(cartStub(env, id))).toBe(true);
    expect((await call(`/api/carts/${id}`)).status).toBe(200);
    daysLater(CartExpiry.guestTtlDays + 1);
    expect(await runDurableObjectAlarm(cartStub(env, id))).toBe(true);
    expect((await call(`/api/carts/${id}`)).status).toBe(404);
  });

  it("keeps a cart that changed since the alarm was set, and waits for its new expiry", async () => {
    const productId = await product();
    const { id } = await guestCart();
    daysLater(5);
    await add(id, productId, 1);
    daysLater(CartExpiry.guestTtlDays + 1);
    await runDurableObjectAlarm(cartStub(env, id));
    expect((await call(`/api/carts/${id}`)).status).toBe(200);
    daysLater(5 + CartExpiry.guestTtlDays + 1);
    await runDurableObjectAlarm(cartStub(env, id));
    expect((await call(`/api/carts/${id}`)).status).toBe(404);
  });

  it("deletes a user's cart after 60 days, and the record of it: the next GET /api/cart starts a new one", async () => {
    const ada = user();
    const productId = await product();
    const { cart } = await expectStatus(await call("/api/cart", { as: ada }), 200);
    await add(cart.id, productId, 1, ada);
    daysLater(CartExpiry.guestTtlDays + 1);
    await runDurableObjectAlarm(cartStub(env, cart.id));
    expect((await call(`/api/carts/${cart.id}`, { as: ada })).status).toBe(200);
    daysLater(CartExpiry.userTtlDays + 1);
    await runDurableObjectAlarm(cartStub(env, cart.id));
    expect(await findUserCart(database(env.DB), ada.userId)).toBeUndefined();
    const fresh = await expectStatus(await call("/api/cart", { as: ada }), 200);
    expect(fresh.cart.items).toEqual([]);
    expect(fresh.cart.id).not.toBe(cart.id);
  });
});
