// Contract scenarios: money at checkout (shipping options, promotion codes and their admin, an order's totals).
import { describe, expect, it } from "vitest";
import { call, expectCall, key, register, session } from "./session";

const code = () => `C${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`.toUpperCase();

/** Shipping options, promotion codes (public preview and admin) and an order that uses both. */
export function checkoutMoneyContract(): void {
  describe("money at checkout", () => {
    it("shipping options: 200, 400", async () => {
      await expectCall(200, "GET", "/api/shipping-options?country=DE&subtotal=1000&currency=EUR");
      await expectCall(200, "GET", "/api/shipping-options?subtotal=6000&currency=USD");
      await expectCall(400, "GET", "/api/shipping-options?country=DE&currency=EUR");
    });

    it("admin promotions: 201, 200, 400, 401, 403, 404, 409", async () => {
      const admin = session.admin;
      const promo = code();
      const body = { code: promo, type: "percentage", value: 10, usageLimit: 100, active: true };
      await expectCall(201, "POST", "/api/admin/promotions", { token: admin, json: body });
      await expectCall(409, "POST", "/api/admin/promotions", {
        token: admin,
        json: { ...body, code: promo.toLowerCase() },
      });
      await expectCall(400, "POST", "/api/admin/promotions", {
        token: admin,
        json: { code: code(), type: "fixed", value: 100 },
      });
      await expectCall(401, "POST", "/api/admin/promotions", { json: body });
      await expectCall(403, "POST", "/api/admin/promotions", { token: session.buyer.token, json: body });
      await expectCall(200, "GET", "/api/admin/promotions?limit=5", { token: admin });
      await expectCall(400, "GET", "/api/admin/promotions?limit=0", { token: admin });
      await expectCall(401, "GET", "/api/admin/promotions");
      await expectCall(403, "GET", "/api/admin/promotions", { token: session.buyer.token });
      await expectCall(200, "PATCH", `/api/admin/promotions/${promo}`, {
        token: admin,
        json: { endsAt: "2099-01-01T00:00:00Z" },
      });
      await expectCall(400, "PATCH", `/api/admin/promotions/${promo}`, {
        token: admin,
        json: { value: 500 },
      });
      await expectCall(404, "PATCH", `/api/admin/promotions/${code()}`, { token: admin, json: { value: 5 } });
      await expectCall(401, "PATCH", `/api/admin/promotions/${promo}`, { json: { value: 5 } });
      await expectCall(403, "PATCH", `/api/admin/promotions/${promo}`, {
        token: session.buyer.token,
        json: { value: 5 },
      });
    });

    it("preview: 200, 400, 404, 422; an order with the code and express shipping: 201, 422", async () => {
      const admin = session.admin;
      const promo = code();
      await expectCall(201, "POST", "/api/admin/promotions", {
        token: admin,
        json: { code: promo, type: "fixed", value: 300, currency: "USD", minSubtotal: 1000 },
      });
      await expectCall(200, "GET", `/api/promotions/${promo.toLowerCase()}?subtotal=2000&currency=USD`);
      await expectCall(422, "GET", `/api/promotions/${promo}?subtotal=999&currency=USD`);
      await expectCall(404, "GET", `/api/promotions/${code()}?subtotal=2000&currency=USD`);
      await expectCall(400, "GET", `/api/promotions/${promo}?subtotal=x&currency=USD`);

      const { product } = await expectCall<{ product: { id: string } }>(201, "POST", "/api/products", {
        token: admin,
        json: { name: "Contract lamp", price: 1500, category: "contract", stock: 10 },
      });
      const shopper = await register();
      const order = (extra: Record<string, unknown>) =>
        call<{ order: { total: number } }>("POST", "/api/orders", {
          token: shopper.token,
          headers: key(),
          json: {
            items: [{ productId: product.id, quantity: 1 }],
            shippingAddress: { line1: "1 Rue", city: "Paris", country: "FR" },
            ...extra,
          },
        });
      const placed = await order({ promotionCode: promo, shippingOptionId: "express" });
      expect(placed.status).toBe(201);
      // 1500 − 300 + 1499 express = 2699; FR 20 % = 539.8 → 540.
      expect(placed.body.order.total).toBe(2699 + 540);
      expect((await order({ shippingAddress: { country: "NO" }, shippingOptionId: "express" })).status).toBe(
        422,
      );
      expect((await order({ promotionCode: code() })).status).toBe(422);
    });
  });
}
