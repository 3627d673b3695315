import { env } from "cloudflare:workers";
import { DELETED_USER_ID, type Order } from "@edge-shop/contracts";
import { newEvent } from "@edge-shop/worker-kit";
import { describe, expect, it } from "vitest";
import { tablesContaining } from "../../../packages/worker-kit/testing/d1-search";
import { address, call, deliver, pid, placeOrder, user } from "./helpers";

const deleted = (userId: string) =>
  newEvent("user.deleted", { userId }, { source: "users", correlationId: "req-delete" });

describe("user.deleted", () => {
  it("keeps the person's orders for accounting, without their id or address; idempotent", async () => {
    const as = user();
    const placed = [
      await placeOrder(as, [{ productId: pid("usd", 1250, 5), quantity: 2 }]),
      await placeOrder(as, [{ productId: pid("usd", 499, 5), quantity: 1 }]),
    ];
    const other = user();
    const kept = await placeOrder(other, [{ productId: pid("usd", 100, 5), quantity: 1 }]);
    const event = deleted(as.userId);
    expect((await deliver([event])).explicitAcks).toHaveLength(1);
    expect((await deliver([event])).explicitAcks).toHaveLength(1);

    expect(await tablesContaining(env.DB, as.userId)).toEqual([]);
    const admin = user("admin");
    for (const order of placed) {
      const response = await call(`/api/orders/${order.id}`, { as: admin });
      const { order: after } = (await response.json()) as { order: Order };
      expect(after).toMatchObject({
        userId: DELETED_USER_ID,
        shippingAddress: "(erased)",
        total: order.total,
        items: order.items,
        status: order.status,
      });
    }
    // The person's own token no longer finds them; someone else's orders are untouched.
    expect((await call(`/api/orders/${placed[0]?.id}`, { as })).status).toBe(404);
    const untouched = (await (await call(`/api/orders/${kept.id}`, { as: other })).json()) as {
      order: Order;
    };
    expect(untouched.order.shippingAddress).toEqual(address);
  });
});

describe("GET /internal/export", () => {
  it("answers every order of the caller, with lines and address, and no one else's", async () => {
    const as = user();
    const first = await placeOrder(as, [
      { productId: pid("usd", 300, 5), quantity: 1 },
      { productId: pid("usd", 200, 5), quantity: 3 },
    ]);
    const second = await placeOrder(as, [{ productId: pid("usd", 100, 5), quantity: 1 }]);
    await placeOrder(user(), [{ productId: pid("usd", 100, 5), quantity: 1 }]);
    const response = await call("/internal/export", { as });
    expect(response.status).toBe(200);
    const { orders } = (await response.json()) as { orders: Order[] };
    expect(orders.map((o) => o.id).sort()).toEqual([first.id, second.id].sort());
    expect(orders.find((o) => o.id === first.id)).toEqual(first);
    expect((await call("/internal/export")).status).toBe(401);
  });
});
