import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, eventually, expectJson, registerUser } from "./client";

type Notification = {
  id: string;
  channel: string;
  to: string;
  subject: string;
  body: string;
  status: string;
  eventType: string;
  createdAt: string;
};
type NotificationList = { notifications: Notification[]; pagination: { total: number } };

const address = { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" };
let admin: string;

async function notificationsOf(token: string): Promise<NotificationList> {
  return expectJson<NotificationList>(await api("/api/notifications?limit=100", { token }), 200);
}

/** Polls until the user's notifications include every one of `types` (the queue consumer batches for ~1 s). */
function notificationsWith(token: string, types: string[]): Promise<Notification[]> {
  return eventually(async () => {
    const { notifications } = await notificationsOf(token);
    const seen = new Set(notifications.map((n) => n.eventType));
    return types.every((t) => seen.has(t)) ? notifications : undefined;
  }, 30_000);
}

beforeAll(async () => {
  admin = await adminToken();
});

describe("notifications through the gateway", () => {
  it("register, order, pay with tok_visa: welcome, order confirmation and receipt appear", async () => {
    const buyer = await registerUser({ firstName: "<script>alert(1)</script>" });
    const welcome = await notificationsWith(buyer.token, ["user.registered"]);
    expect(welcome).toEqual([
      expect.objectContaining({
        channel: "email",
        to: buyer.email,
        status: "sent",
        eventType: "user.registered",
      }),
    ]);

    const productName = `E2E notifications <b>${crypto.randomUUID()}</b>`;
    const created = await api("/api/products", {
      method: "POST",
      token: admin,
      json: { name: productName, price: 1250, currency: "USD", category: "e2e", stock: 5 },
    });
    const productId = (await expectJson<{ product: { id: string } }>(created, 201)).product.id;

    const placed = await api("/api/orders", {
      method: "POST",
      token: buyer.token,
      headers: { "idempotency-key": crypto.randomUUID() },
      json: { items: [{ productId, quantity: 2 }], shippingAddress: address },
    });
    const order = (await expectJson<{ order: { id: string; total: number } }>(placed, 201)).order;
    expect(order.total).toBe(2500 + 499); // standard shipping below 5000, no US tax

    const paid = await api("/api/payments", {
      method: "POST",
      token: buyer.token,
      headers: { "idempotency-key": crypto.randomUUID() },
      json: { orderId: order.id, method: { type: "card", token: "tok_visa" } },
    });
    expect((await expectJson<{ payment: { status: string } }>(paid, 201)).payment.status).toBe("succeeded");

    const all = await notificationsWith(buyer.token, [
      "user.registered",
      "order.created",
      "payment.succeeded",
    ]);
    expect(all).toHaveLength(3);
    // Newest first.
    expect(all.map((n) => n.eventType)).toEqual(["payment.succeeded", "order.created", "user.registered"]);
    for (const n of all) expect(n).toMatchObject({ channel: "email", to: buyer.email, status: "sent" });
    const receipt = all[0] as Notification;
    expect(receipt.subject).toMatch(/^Receipt for order /);
    expect(receipt.body).toContain(`2 × ${productName} @ $12.50 = $25.00`);
    expect(receipt.body).toContain("Subtotal: $25.00");
    expect(receipt.body).toContain("Shipping (Standard): $4.99");
    expect(receipt.body).toContain("Tax: $0.00");
    expect(receipt.body).toContain("Total paid: $29.99");
    expect(all[1]?.body).toContain("Total: $29.99");
  });

  it("a user sees only their own notifications", async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    await notificationsWith(alice.token, ["user.registered"]);
    const bobs = await notificationsWith(bob.token, ["user.registered"]);
    expect(bobs.every((n) => n.to === bob.email)).toBe(true);
  });

  it("preferences: defaults, validated PATCH, and 401 without a token", async () => {
    const user = await registerUser();
    const path = "/api/notifications/preferences";
    expect(await expectJson(await api(path, { token: user.token }), 200)).toEqual({
      preferences: { email: true, sms: false, phone: null },
    });
    const noPhone = await api(path, { method: "PATCH", token: user.token, json: { sms: true } });
    expect(noPhone.status).toBe(400);
    expect(noPhone.headers.get("content-type")).toBe("application/problem+json");
    expect(await noPhone.json()).toMatchObject({ errors: [{ path: "sms" }] });
    const badPhone = await api(path, { method: "PATCH", token: user.token, json: { phone: "0123" } });
    expect(badPhone.status).toBe(400);
    const ok = await api(path, {
      method: "PATCH",
      token: user.token,
      json: { sms: true, phone: "+14155550123" },
    });
    expect(await expectJson(ok, 200)).toEqual({
      preferences: { email: true, sms: true, phone: "+14155550123" },
    });
    expect((await api(path)).status).toBe(401);
    expect((await api("/api/notifications")).status).toBe(401);
  });
});
