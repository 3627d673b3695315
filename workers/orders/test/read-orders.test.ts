import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Order } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { countingD1 } from "../../../packages/worker-kit/test/call-counters";
import { forwardedAs } from "../../../packages/worker-kit/testing/signed-caller";
import { app } from "../src/app";
import { call, pid, placeOrder, user } from "./helpers";

type Page = { orders: Order[]; pagination: { page: number; limit: number; total: number; pages: number } };

describe("reading orders", () => {
  it("GET /api/orders/:id shows the owner its order", async () => {
    const as = user();
    const order = await placeOrder(as, [{ productId: pid("usd", 100, 5), quantity: 1 }]);
    const response = await call(`/api/orders/${order.id}`, { as });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ order });
  });

  it("answers 404 for another user's order (BOLA), and for an unknown id", async () => {
    const order = await placeOrder(user(), [{ productId: pid("usd", 100, 5), quantity: 1 }]);
    const other = await call(`/api/orders/${order.id}`, { as: user() });
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: "not_found" });
    expect((await call(`/api/orders/${crypto.randomUUID()}`, { as: user() })).status).toBe(404);
  });

  it("lets an admin read any order", async () => {
    const order = await placeOrder(user(), [{ productId: pid("usd", 100, 5), quantity: 1 }]);
    expect((await call(`/api/orders/${order.id}`, { as: user("admin") })).status).toBe(200);
  });

  it("lists only the caller's own orders, newest first, paginated", async () => {
    const as = user();
    const mine: Order[] = [];
    for (let i = 0; i < 3; i++) {
      mine.push(await placeOrder(as, [{ productId: pid("usd", 100, 5), quantity: 1 }]));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await placeOrder(user(), [{ productId: pid("usd", 100, 5), quantity: 1 }]);

    const first = (await (await call("/api/orders?limit=2", { as })).json()) as Page;
    expect(first.pagination).toEqual({ page: 1, limit: 2, total: 3, pages: 2 });
    expect(first.orders.map((o) => o.id)).toEqual([mine[2]?.id, mine[1]?.id]);
    const second = (await (await call("/api/orders?limit=2&page=2", { as })).json()) as Page;
    expect(second.orders.map((o) => o.id)).toEqual([mine[0]?.id]);
    expect(second.orders[0]?.items).toHaveLength(1);
  });

  it("lists each order with its own lines, in one D1 round trip (the benchmark's floor counts one)", async () => {
    const as = user();
    const older = await placeOrder(as, [
      { productId: pid("usd", 100, 5), quantity: 1 },
      { productId: pid("usd", 250, 5), quantity: 2 },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const newer = await placeOrder(as, [{ productId: pid("usd", 300, 5), quantity: 3 }]);
    const counter = countingD1(env.DB);
    const response = await app.fetch(
      new Request("http://orders/api/orders?limit=5", {
        headers: await forwardedAs(as),
      }),
      { ...env, DB: counter.d1 },
      createExecutionContext(),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as Page).orders).toEqual([newer, older]);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 0, batches: 1 });
  });

  it("lets an admin list everyone's orders and filter by status", async () => {
    const a = await placeOrder(user(), [{ productId: pid("usd", 100, 5), quantity: 1 }]);
    const b = await placeOrder(user(), [{ productId: pid("usd", 100, 5), quantity: 1 }]);
    const page = (await (
      await call("/api/orders?limit=100&status=pending", { as: user("admin") })
    ).json()) as Page;
    const ids = page.orders.map((o) => o.id);
    expect(ids).toContain(a.id);
    expect(ids).toContain(b.id);
    expect(page.orders.every((o) => o.status === "pending")).toBe(true);
  });

  it("refuses a bad page query with 400, and no identity with 401", async () => {
    expect((await call("/api/orders?limit=101", { as: user() })).status).toBe(400);
    expect((await call("/api/orders?page=0", { as: user() })).status).toBe(400);
    expect((await call("/api/orders?status=lost", { as: user() })).status).toBe(400);
    expect((await call("/api/orders")).status).toBe(401);
  });
});
