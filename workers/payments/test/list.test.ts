import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cardBody, type PaymentJson, postPayment, seedOrder, userHeaders } from "./helpers";

async function listPayments(orderId: string, userId: string, role: "user" | "admin" = "user") {
  return exports.default.fetch(`http://payments/api/payments?orderId=${encodeURIComponent(orderId)}`, {
    headers: await userHeaders(userId, role),
  });
}

describe("GET /api/payments?orderId=", () => {
  it("lists every attempt of one's own order, oldest first", async () => {
    const order = await seedOrder();
    await postPayment(order.userId, cardBody(order.id, "tok_chargeDeclined"));
    await postPayment(order.userId, cardBody(order.id, "tok_visa"));
    const response = await listPayments(order.id, order.userId);
    expect(response.status).toBe(200);
    const { payments } = (await response.json()) as { payments: PaymentJson[] };
    expect(payments.map((p) => [p.status, p.failureReason])).toEqual([
      ["failed", "card_declined"],
      ["succeeded", null],
    ]);
  });

  it("is 404 for another user's order (BOLA) and for an unknown order", async () => {
    const order = await seedOrder();
    await postPayment(order.userId, cardBody(order.id, "tok_visa"));
    const other = await listPayments(order.id, "intruder");
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: "not_found" });
    expect((await listPayments("ord-nope", order.userId)).status).toBe(404);
  });

  it("lets an admin see any order's payments", async () => {
    const order = await seedOrder();
    await postPayment(order.userId, cardBody(order.id, "tok_visa"));
    const response = await listPayments(order.id, "admin-1", "admin");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { payments: unknown[] }).payments).toHaveLength(1);
  });

  it("needs orderId (400) and a user (401)", async () => {
    const missing = await exports.default.fetch("http://payments/api/payments", {
      headers: await userHeaders("u"),
    });
    expect(missing.status).toBe(400);
    const anonymous = await exports.default.fetch("http://payments/api/payments?orderId=x");
    expect(anonymous.status).toBe(401);
  });
});
