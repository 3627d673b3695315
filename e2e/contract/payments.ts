// Contract scenarios: the payment simulator's card authentication page (3-D Secure) and its forms.
import { describe, expect, it } from "vitest";
import { call, expectCall, key, session } from "./session";

/** The simulator's page and forms, reached from a payment that requires action. */
export function paymentsContract(): void {
  describe("3-D Secure with the simulator", () => {
    it("page: 200, 400, 404; its forms: 303, 400, 404", async () => {
      const { product } = await expectCall<{ product: { id: string } }>(201, "POST", "/api/products", {
        token: session.admin,
        json: { name: "Contract 3DS widget", price: 700, category: "contract", stock: 10 },
      });
      const { order } = await expectCall<{ order: { id: string } }>(201, "POST", "/api/orders", {
        token: session.buyer.token,
        headers: key(),
        json: {
          items: [{ productId: product.id, quantity: 1 }],
          shippingAddress: { line1: "1 Main St", city: "Springfield" },
        },
      });
      const { payment } = await expectCall<{ payment: { id: string; nextAction: { url: string } } }>(
        201,
        "POST",
        "/api/payments",
        {
          token: session.buyer.token,
          headers: key(),
          json: { orderId: order.id, method: { type: "card", token: "tok_threeDSecure2Required" } },
        },
      );
      const page = new URL(payment.nextAction.url).pathname;
      expect(page).toBe(`/api/payments/simulator/3ds/${payment.id}`);
      await expectCall(200, "GET", page);
      await expectCall(404, "GET", "/api/payments/simulator/3ds/no-such-payment");
      await expectCall(400, "GET", `/api/payments/simulator/3ds/${"x".repeat(101)}`);
      const complete = await call("POST", `${page}/complete`, { redirect: "manual" });
      expect([complete.status, complete.headers.get("location")]).toEqual([
        303,
        `/#/orders/${order.id}?payment=${payment.id}`,
      ]);
      await expectCall(404, "GET", page);
      await expectCall(404, "POST", "/api/payments/simulator/3ds/no-such-payment/fail", {
        redirect: "manual",
      });
      await expectCall(400, "POST", `/api/payments/simulator/3ds/${"x".repeat(101)}/fail`, {
        redirect: "manual",
      });
    });

    it("refunds: 201, 200, 400, 401, 403, 404, 409", async () => {
      const { product } = await expectCall<{ product: { id: string } }>(201, "POST", "/api/products", {
        token: session.admin,
        json: { name: "Contract refund widget", price: 900, category: "contract", stock: 10 },
      });
      const { order } = await expectCall<{ order: { id: string } }>(201, "POST", "/api/orders", {
        token: session.buyer.token,
        headers: key(),
        json: { items: [{ productId: product.id, quantity: 2 }], shippingAddress: "1 Main St" },
      });
      const path = `/api/orders/${order.id}/refunds`;
      await expectCall(409, "POST", path, {
        token: session.admin,
        headers: key(),
        json: { reason: "unpaid" },
      });
      await expectCall(201, "POST", "/api/payments", {
        token: session.buyer.token,
        headers: key(),
        json: { orderId: order.id, method: { type: "card", token: "tok_visa" } },
      });
      await expectCall(401, "POST", path, { headers: key(), json: { reason: "x" } });
      await expectCall(403, "POST", path, {
        token: session.buyer.token,
        headers: key(),
        json: { reason: "x" },
      });
      await expectCall(400, "POST", path, {
        token: session.admin,
        headers: key(),
        json: { amount: -1, reason: "x" },
      });
      await expectCall(404, "POST", "/api/orders/no-such-order/refunds", {
        token: session.admin,
        headers: key(),
        json: { reason: "x" },
      });
      await expectCall(201, "POST", path, {
        token: session.admin,
        headers: key(),
        json: { items: [{ productId: product.id, quantity: 1 }], restock: true, reason: "returned" },
      });
      await expectCall(409, "POST", path, {
        token: session.admin,
        headers: key(),
        json: { amount: 5000, reason: "x" },
      });
      await expectCall(200, "GET", path, { token: session.admin });
      await expectCall(401, "GET", path);
      await expectCall(403, "GET", path, { token: session.buyer.token });
      await expectCall(404, "GET", "/api/orders/no-such-order/refunds", { token: session.admin });
      await expectCall(400, "GET", `/api/orders/${"x".repeat(101)}/refunds`, { token: session.admin });
    });
  });
}
