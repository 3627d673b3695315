import { env } from "cloudflare:workers";
import type { Order } from "@edge-shop/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { address, call, pid, user } from "./helpers";

// Read replicas with read-your-writes (issue 27): every order read and write runs in one D1 session and answers
// its bookmark in X-Orders-Bookmark; a read anchored at the bookmark the client sends back. Locally D1 has no
// replicas, so what is tested is the header's round trip and where each session starts.

const BOOKMARK = /^[0-9a-f]+(-[0-9a-f]+)*$/i;

afterEach(() => vi.restoreAllMocks());

async function order(as: ReturnType<typeof user>) {
  const response = await call("/api/orders", {
    as,
    key: crypto.randomUUID(),
    json: { items: [{ productId: pid("usd", 100, 5), quantity: 1 }], shippingAddress: address },
  });
  expect(response.status).toBe(201);
  const { order } = (await response.json()) as { order: Order };
  return { order, bookmark: response.headers.get("x-orders-bookmark") };
}

describe("X-Orders-Bookmark", () => {
  it("answers a write's bookmark, from a session that starts at the primary", async () => {
    const sessions = vi.spyOn(env.DB, "withSession");
    const { bookmark } = await order(user());
    expect(bookmark).toMatch(BOOKMARK);
    expect(sessions).toHaveBeenCalledWith("first-primary");
  });

  it("anchors a read at the bookmark the client sends back, and the read sees the write", async () => {
    const as = user();
    const { order: placed, bookmark } = await order(as);
    const sessions = vi.spyOn(env.DB, "withSession");
    const response = await call("/api/orders", { as, headers: { "x-orders-bookmark": String(bookmark) } });
    expect(response.status).toBe(200);
    expect(sessions).toHaveBeenCalledWith(bookmark);
    const { orders } = (await response.json()) as { orders: Order[] };
    expect(orders.map((o) => o.id)).toEqual([placed.id]);
    // Bookmarks sort by time: the read's is never behind the one it started from.
    const after = String(response.headers.get("x-orders-bookmark"));
    expect(after).toMatch(BOOKMARK);
    expect(after >= String(bookmark)).toBe(true);

    const one = await call(`/api/orders/${placed.id}`, { as, headers: { "x-orders-bookmark": after } });
    expect(one.status).toBe(200);
    expect(sessions).toHaveBeenLastCalledWith(after);
    expect(one.headers.get("x-orders-bookmark")).toMatch(BOOKMARK);
  });

  it("reads from any replica without a bookmark, and ignores a malformed one", async () => {
    const as = user();
    await order(as);
    const sessions = vi.spyOn(env.DB, "withSession");
    expect((await call("/api/orders", { as })).status).toBe(200);
    expect(sessions).toHaveBeenLastCalledWith("first-unconstrained");
    const odd = await call("/api/orders", {
      as,
      headers: { "x-orders-bookmark": "'; drop table orders; --" },
    });
    expect(odd.status).toBe(200);
    expect(sessions).toHaveBeenLastCalledWith("first-unconstrained");
    expect(odd.headers.get("x-orders-bookmark")).toMatch(BOOKMARK);
  });

  it("answers a cancel's bookmark, and none on a refusal", async () => {
    const as = user();
    const { order: placed } = await order(as);
    const cancelled = await call(`/api/orders/${placed.id}/cancel`, { as, method: "POST" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.headers.get("x-orders-bookmark")).toMatch(BOOKMARK);
    const again = await call(`/api/orders/${placed.id}/cancel`, { as, method: "POST" });
    expect(again.status).toBe(409);
    expect(again.headers.get("x-orders-bookmark")).toBeNull();
  });
});
