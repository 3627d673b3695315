// Contract scenarios: the order saga through the API (place, read, pay, fulfil, cancel) and the webhook.
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../client";
import { call, expectCall, key, session } from "./session";
import { signWebhook, webhookSecret } from "./webhook";

interface Order {
  id: string;
  status: string;
}

const placeOrder = (token: string, items: { productId: string; quantity: number }[], headers = key()) =>
  call<{ order: Order }>("POST", "/api/orders", {
    token,
    headers,
    json: { items, shippingAddress: { line1: "1 Main St", city: "Springfield" } },
  });

/** Orders, payments and the provider webhook. */
export function ordersContract(): void {
  describe("orders and payments", () => {
    let paid: Order;
    let productId: string;
    let lastOne: string;

    const newProduct = async (stock: number) =>
      (
        await expectCall<{ product: { id: string } }>(201, "POST", "/api/products", {
          token: session.admin,
          json: { name: "Contract widget", price: 500, category: "contract", stock },
        })
      ).product.id;

    beforeAll(async () => {
      [productId, lastOne] = await Promise.all([newProduct(100), newProduct(1)]);
    });

    it("place: 201 (and its replay), 400, 401, 409, 422", async () => {
      const headers = key();
      const first = await placeOrder(session.buyer.token, [{ productId, quantity: 1 }], headers);
      expect(first.status).toBe(201);
      const replay = await placeOrder(session.buyer.token, [{ productId, quantity: 1 }], headers);
      expect([replay.status, replay.headers.get("idempotent-replayed")]).toEqual([201, "true"]);
      expect((await placeOrder(session.buyer.token, [{ productId, quantity: 2 }], headers)).status).toBe(422);
      paid = first.body.order;
      await expectCall(400, "POST", "/api/orders", { token: session.buyer.token, json: { items: [] } });
      await expectCall(400, "POST", "/api/orders", {
        token: session.buyer.token,
        json: { items: [{ productId, quantity: 1 }], shippingAddress: "1 Main St" },
      });
      expect(
        (await placeOrder(session.buyer.token, [{ productId: "no-such-product", quantity: 1 }])).status,
      ).toBe(400);
      await expectCall(401, "POST", "/api/orders", { headers: key(), json: { items: [] } });
      expect((await placeOrder(session.buyer.token, [{ productId: lastOne, quantity: 2 }])).status).toBe(409);
    });

    it("read: 200, 400, 401, 404 (another user's order)", async () => {
      await expectCall(200, "GET", "/api/orders?limit=5", { token: session.buyer.token });
      await expectCall(200, "GET", "/api/orders?status=pending", { token: session.admin });
      await expectCall(400, "GET", "/api/orders?limit=0", { token: session.buyer.token });
      await expectCall(401, "GET", "/api/orders");
      await expectCall(200, "GET", `/api/orders/${paid.id}`, { token: session.buyer.token });
      await expectCall(404, "GET", `/api/orders/${paid.id}`, { token: session.other.token });
      await expectCall(401, "GET", `/api/orders/${paid.id}`);
      await expectCall(400, "GET", `/api/orders/${"x".repeat(101)}`, { token: session.buyer.token });
    });

    it("pay: 201 failed then succeeded, 400, 401, 404, 409, 422", async () => {
      const pay = (token: string, headers: Record<string, string>, orderId = paid.id, card = "tok_visa") =>
        call<{ payment: { status: string } }>("POST", "/api/payments", {
          token,
          headers,
          json: { orderId, method: { type: "card", token: card } },
        });
      const declined = await pay(session.buyer.token, key(), paid.id, "tok_chargeDeclined");
      expect([declined.status, declined.body.payment.status]).toEqual([201, "failed"]);
      const headers = key();
      const succeeded = await pay(session.buyer.token, headers);
      expect([succeeded.status, succeeded.body.payment.status]).toEqual([201, "succeeded"]);
      expect((await pay(session.buyer.token, headers, paid.id, "tok_chargeDeclined")).status).toBe(422);
      expect((await pay(session.buyer.token, key())).status).toBe(409);
      expect((await pay(session.other.token, key())).status).toBe(404);
      await expectCall(400, "POST", "/api/payments", {
        token: session.buyer.token,
        headers: key(),
        json: { orderId: paid.id, method: { type: "paypal" } },
      });
      await expectCall(400, "POST", "/api/payments", {
        token: session.buyer.token,
        json: { orderId: paid.id, method: { type: "card", token: "tok_visa" } },
      });
      expect((await pay("", key())).status).toBe(401);
      await expectCall(200, "GET", `/api/payments?orderId=${paid.id}`, { token: session.buyer.token });
      await expectCall(400, "GET", "/api/payments", { token: session.buyer.token });
      await expectCall(404, "GET", `/api/payments?orderId=${paid.id}`, { token: session.other.token });
      await expectCall(401, "GET", `/api/payments?orderId=${paid.id}`);
    });

    it("cancel and fulfil: 200, 400, 401, 403, 404, 409", async () => {
      const path = `/api/orders/${paid.id}`;
      await eventually(async () => {
        const { order } = await expectCall<{ order: Order }>(200, "GET", path, {
          token: session.buyer.token,
        });
        return order.status === "paid" ? order : undefined;
      });
      await expectCall(403, "PATCH", `${path}/status`, {
        token: session.buyer.token,
        json: { status: "shipped" },
      });
      await expectCall(400, "PATCH", `${path}/status`, { token: session.admin, json: { status: "paid" } });
      await expectCall(404, "PATCH", "/api/orders/no-such-order/status", {
        token: session.admin,
        json: { status: "shipped" },
      });
      await expectCall(200, "PATCH", `${path}/status`, { token: session.admin, json: { status: "shipped" } });
      await expectCall(409, "PATCH", `${path}/status`, { token: session.admin, json: { status: "shipped" } });
      await expectCall(409, "POST", `${path}/cancel`, { token: session.buyer.token });
      const pending = await placeOrder(session.buyer.token, [{ productId, quantity: 1 }]);
      const pendingPath = `/api/orders/${pending.body.order.id}`;
      await expectCall(404, "POST", `${pendingPath}/cancel`, { token: session.other.token });
      await expectCall(401, "POST", `${pendingPath}/cancel`);
      await expectCall(400, "POST", `/api/orders/${"x".repeat(101)}/cancel`, { token: session.buyer.token });
      await expectCall(200, "POST", `${pendingPath}/cancel`, { token: session.buyer.token });
    });

    it("provider webhook: 200, 400, 401", async () => {
      const body = JSON.stringify({
        id: `evt_${crypto.randomUUID()}`,
        type: "customer.created",
        data: { object: {} },
      });
      const post = (signature: string, raw = body) =>
        call("POST", "/api/payments/webhook", {
          headers: { "content-type": "application/json", "stripe-signature": signature },
          body: raw,
        });
      expect((await post(await signWebhook(body, "whsec_wrong"))).status).toBe(401);
      const secret = webhookSecret();
      if (secret === undefined) return; // a remote stack: its secret is not ours to read
      expect((await post(await signWebhook(body, secret))).status).toBe(200);
      const malformed = JSON.stringify({ id: "evt_x" });
      expect((await post(await signWebhook(malformed, secret), malformed)).status).toBe(400);
    });
  });
}
