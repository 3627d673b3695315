import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, eventually, expectJson, registerUser } from "./client";

type Order = {
  id: string;
  userId: string;
  status: string;
  total: number;
  currency: string;
  items: { unitPrice: number }[];
};
const address = { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" };

let admin: string;

async function createProduct(stock: number, price = 1999) {
  const response = await api("/api/products", {
    method: "POST",
    token: admin,
    json: { name: `E2E orders ${crypto.randomUUID()}`, price, currency: "USD", category: "e2e", stock },
  });
  return (await expectJson<{ product: { id: string } }>(response, 201)).product.id;
}

function order(token: string, key: string, items: unknown[]) {
  return api("/api/orders", {
    method: "POST",
    token,
    headers: { "idempotency-key": key },
    json: { items, shippingAddress: address },
  });
}

async function stockOf(productId: string) {
  const response = await api(`/api/products/${productId}`);
  return (await expectJson<{ product: { stock: number } }>(response, 200)).product.stock;
}

beforeAll(async () => {
  admin = await adminToken();
});

describe("orders through the gateway", () => {
  it("creates an order priced by the catalog and replays it for the same Idempotency-Key", async () => {
    const buyer = await registerUser();
    const productId = await createProduct(10, 2500);
    const key = crypto.randomUUID();
    const items = [{ productId, quantity: 2, price: 1 }];
    const first = await order(buyer.token, key, items);
    const firstText = await first.text();
    expect(first.status, firstText).toBe(201);
    const created = (JSON.parse(firstText) as { order: Order }).order;
    expect(created).toMatchObject({ status: "pending", total: 5000, currency: "USD", userId: buyer.user.id });

    const replay = await order(buyer.token, key, items);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.text()).toBe(firstText);

    const reused = await order(buyer.token, key, [{ productId, quantity: 3 }]);
    expect(reused.status).toBe(422);
    expect(await stockOf(productId)).toBe(8);
  });

  it("refuses an order without Idempotency-Key (400) and short stock (409, nothing reserved)", async () => {
    const buyer = await registerUser();
    const productId = await createProduct(1);
    const noKey = await api("/api/orders", {
      method: "POST",
      token: buyer.token,
      json: { items: [{ productId, quantity: 1 }], shippingAddress: address },
    });
    expect(noKey.status).toBe(400);
    const short = await order(buyer.token, crypto.randomUUID(), [{ productId, quantity: 2 }]);
    expect(short.status).toBe(409);
    expect(await short.json()).toMatchObject({ code: "insufficient_stock" });
    expect(await stockOf(productId)).toBe(1);
  });

  it("sells 3 units to exactly 3 of 12 concurrent buyers", async () => {
    const productId = await createProduct(3);
    const buyers = await Promise.all(Array.from({ length: 12 }, () => registerUser()));
    const responses = await Promise.all(
      buyers.map((b) => order(b.token, crypto.randomUUID(), [{ productId, quantity: 1 }])),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    await eventually(async () => ((await stockOf(productId)) === 0 ? true : undefined));
  });

  it("hides another user's order (404) and lists only one's own", async () => {
    const owner = await registerUser();
    const other = await registerUser();
    const productId = await createProduct(5);
    const created = await expectJson<{ order: Order }>(
      await order(owner.token, crypto.randomUUID(), [{ productId, quantity: 1 }]),
      201,
    );
    expect((await api(`/api/orders/${created.order.id}`, { token: other.token })).status).toBe(404);
    expect(
      (await api(`/api/orders/${created.order.id}/cancel`, { method: "POST", token: other.token })).status,
    ).toBe(404);
    const list = await expectJson<{ orders: Order[]; pagination: { total: number } }>(
      await api("/api/orders", { token: other.token }),
      200,
    );
    expect(list.orders).toEqual([]);
    expect(list.pagination.total).toBe(0);
    const mine = await expectJson<{ orders: Order[] }>(await api("/api/orders", { token: owner.token }), 200);
    expect(mine.orders.map((o) => o.id)).toEqual([created.order.id]);
  });

  it("cancels a pending order and gives its stock back; a second cancel is 409", async () => {
    const buyer = await registerUser();
    const productId = await createProduct(4);
    const created = await expectJson<{ order: Order }>(
      await order(buyer.token, crypto.randomUUID(), [{ productId, quantity: 3 }]),
      201,
    );
    expect(await stockOf(productId)).toBe(1);
    const cancelled = await expectJson<{ order: Order }>(
      await api(`/api/orders/${created.order.id}/cancel`, { method: "POST", token: buyer.token }),
      200,
    );
    expect(cancelled.order.status).toBe("cancelled");
    expect(await stockOf(productId)).toBe(4);
    const again = await api(`/api/orders/${created.order.id}/cancel`, { method: "POST", token: buyer.token });
    expect(again.status).toBe(409);
  });

  it("lets only an admin ship, and only a paid order", async () => {
    const buyer = await registerUser();
    const productId = await createProduct(2);
    const created = await expectJson<{ order: Order }>(
      await order(buyer.token, crypto.randomUUID(), [{ productId, quantity: 1 }]),
      201,
    );
    const path = `/api/orders/${created.order.id}/status`;
    expect(
      (await api(path, { method: "PATCH", token: buyer.token, json: { status: "shipped" } })).status,
    ).toBe(403);
    const pendingShip = await api(path, { method: "PATCH", token: admin, json: { status: "shipped" } });
    expect(pendingShip.status).toBe(409);
    expect(await pendingShip.json()).toMatchObject({ code: "invalid_transition" });
  });
});
