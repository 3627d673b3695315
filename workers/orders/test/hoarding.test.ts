import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { address, call, pid, placeOrder, products, user } from "./helpers";

const order = (as: ReturnType<typeof user>, productId: string, quantity = 1) =>
  call("/api/orders", {
    as,
    key: crypto.randomUUID(),
    json: { items: [{ productId, quantity }], shippingAddress: address },
  });

describe("nobody can hoard stock", () => {
  it("lets one user have at most MAX_PENDING_ORDERS (3) unpaid orders, however many are placed at once", async () => {
    const as = user();
    const productId = pid("usd", 100, 100);
    const responses = await Promise.all(Array.from({ length: 10 }, () => order(as, productId)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, ...Array(7).fill(409)]);
    const refused = await Promise.all(responses.filter((r) => r.status === 409).map((r) => r.json()));
    for (const problem of refused) expect(problem).toMatchObject({ code: "too_many_pending_orders" });
    // The refused orders took nothing: only the three orders hold stock.
    expect(await products.stockOf(productId)).toBe(97);
    // Other users are not affected.
    expect((await order(user(), productId)).status).toBe(201);
  });

  it("frees a place when an unpaid order is paid or cancelled", async () => {
    const as = user();
    const productId = pid("usd", 100, 100);
    const placed = [];
    for (let i = 0; i < 3; i++) placed.push(await placeOrder(as, [{ productId, quantity: 1 }]));
    expect((await order(as, productId)).status).toBe(409);
    await exports.OrdersRpc.markPaid(placed[0]?.id ?? "", "pay-1", "test");
    expect((await order(as, productId)).status).toBe(201);
    expect((await order(as, productId)).status).toBe(409);
    await call(`/api/orders/${placed[1]?.id}/cancel`, { as, method: "POST" });
    expect((await order(as, productId)).status).toBe(201);
  });

  it("refuses more than a product's per-order limit: 409 max_per_order_exceeded", async () => {
    const productId = pid("limited", 100, 10);
    const response = await order(user(), productId, 2);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      code: "max_per_order_exceeded",
      errors: [{ path: "items.0.productId" }],
    });
    expect((await order(user(), productId, 1)).status).toBe(201);
  });
});
