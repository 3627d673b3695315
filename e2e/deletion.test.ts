import { describe, expect, inject, it } from "vitest";
import { adminToken, api, eventually, expectJson, registerUser } from "./client";
import { d1Count, rowsContaining } from "./d1-files";
import { emailedLink } from "./mailbox";

const stateDir = inject("stateDir");

interface Order {
  id: string;
  userId: string;
  total: number;
  status: string;
  shippingAddress: unknown;
}

/** A person with strings found nowhere else: the search for their traces cannot hit another test's data. */
function person() {
  const tag = crypto.randomUUID().replaceAll("-", "").slice(0, 10);
  return {
    firstName: `Philippa${tag}`,
    lastName: `Quaritch${tag}`,
    phone: `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`,
    newEmail: `moving-${tag}@example.com`,
  };
}

async function order(token: string, productId: string, address: Record<string, string>) {
  const response = await api("/api/orders", {
    method: "POST",
    token,
    headers: { "idempotency-key": crypto.randomUUID() },
    json: { items: [{ productId, quantity: 1 }], shippingAddress: address },
  });
  return (await expectJson<{ order: Order }>(response, 201)).order;
}

describe.skipIf(stateDir === "")("data export and account deletion, through the gateway", () => {
  it("exports everything; deleting erases the person from every table of every service; orders still add up", async () => {
    const admin = await adminToken();
    const who = person();
    const buyer = await registerUser({ firstName: who.firstName, lastName: who.lastName });
    const traces = [buyer.email, who.firstName, who.lastName, who.phone, who.newEmail];
    const address = {
      name: `${who.firstName} ${who.lastName}`,
      line1: "7 Erasure Lane",
      city: "Springfield",
    };

    // A record of the person in every service: orders (one paid), payments, notifications, preferences, links,
    // their cart.
    const { product } = await expectJson<{ product: { id: string } }>(
      await api("/api/products", {
        method: "POST",
        token: admin,
        json: {
          name: `Deletion test ${crypto.randomUUID()}`,
          price: 1500,
          currency: "USD",
          category: "e2e",
          stock: 9,
        },
      }),
      201,
    );
    const paid = await order(buyer.token, product.id, address);
    const pending = await order(buyer.token, product.id, address);
    const { cart } = await expectJson<{ cart: { id: string } }>(
      await api("/api/cart", { token: buyer.token }),
      200,
    );
    await expectJson(
      await api(`/api/carts/${cart.id}/items`, {
        method: "POST",
        token: buyer.token,
        json: { productId: product.id, quantity: 1 },
      }),
      200,
    );
    const payment = await api("/api/payments", {
      method: "POST",
      token: buyer.token,
      headers: { "idempotency-key": crypto.randomUUID() },
      json: { orderId: paid.id, method: { type: "card", token: "tok_visa" } },
    });
    expect((await expectJson<{ payment: { status: string } }>(payment, 201)).payment.status).toBe(
      "succeeded",
    );
    await expectJson(
      await api("/api/notifications/preferences", {
        method: "PATCH",
        token: buyer.token,
        json: { sms: true, phone: who.phone },
      }),
      200,
    );
    await expectJson(
      await api("/api/users/email", {
        method: "POST",
        token: buyer.token,
        json: { newEmail: who.newEmail, currentPassword: buyer.password },
      }),
      202,
    );
    await api("/api/users/password/forgot", { method: "POST", json: { email: buyer.email } });
    await emailedLink(buyer.token, "user.password_reset_requested");
    await eventually(async () => {
      const { notifications } = await expectJson<{ notifications: { eventType: string }[] }>(
        await api("/api/notifications?limit=100", { token: buyer.token }),
        200,
      );
      return notifications.some((n) => n.eventType === "payment.succeeded") ? true : undefined;
    }, 30_000);
    expect(await rowsContaining(stateDir, [who.lastName])).not.toEqual([]);

    // Export: every record of the caller, from every service.
    const exported = await api("/api/users/profile/export", { token: buyer.token });
    const data = await expectJson<{
      user: { id: string; email: string };
      orders: Order[];
      payments: { orderId: string; status: string }[];
      notifications: { eventType: string }[];
      preferences: { phone: string | null };
      carts: { id: string; userId: string; items: { productId: string; quantity: number }[] }[];
    }>(exported, 200);
    expect(data.user).toMatchObject({ id: buyer.user.id, email: buyer.email });
    expect(data.orders.map((o) => o.id).sort()).toEqual([paid.id, pending.id].sort());
    expect(data.orders[0]?.shippingAddress).toEqual(address);
    expect(data.payments).toMatchObject([{ orderId: paid.id, status: "succeeded" }]);
    expect(data.notifications.map((n) => n.eventType)).toContain("payment.succeeded");
    expect(data.preferences.phone).toBe(who.phone);
    expect(data.carts).toMatchObject([
      { id: cart.id, userId: buyer.user.id, items: [{ productId: product.id, quantity: 1 }] },
    ]);

    // Delete.
    const wrong = await api("/api/users/profile", {
      method: "DELETE",
      token: buyer.token,
      json: { currentPassword: "not-the-password" },
    });
    expect(wrong.status).toBe(400);
    const deleted = await api("/api/users/profile", {
      method: "DELETE",
      token: buyer.token,
      json: { currentPassword: buyer.password },
    });
    expect(deleted.status).toBe(204);
    expect((await api("/api/users/profile/export", { token: buyer.token })).status).toBe(401);
    const login = await api("/api/users/login", {
      method: "POST",
      json: { email: buyer.email, password: buyer.password },
    });
    expect(login.status).toBe(401);

    // Every service has consumed user.deleted: nothing of the person in any table of any D1 (six services'),
    // and the cart is gone with its object's storage (the token still works until it expires: a 404, not a 401).
    expect(await d1Count(stateDir)).toBeGreaterThanOrEqual(6);
    await eventually(
      async () => ((await rowsContaining(stateDir, traces)).length === 0 ? true : undefined),
      30_000,
    );
    await eventually(
      async () =>
        (await api(`/api/carts/${cart.id}`, { token: buyer.token })).status === 404 ? true : undefined,
      30_000,
    );
    // What still holds the id names no one: the event that announced the deletion, and notifications' note
    // that this id was erased (so a late message writes nothing of the person again).
    for (const row of await rowsContaining(stateDir, [buyer.user.id])) {
      expect(row.startsWith("erased_users:") || row.includes('\\"type\\":\\"user.deleted\\"'), row).toBe(
        true,
      );
    }

    // The orders stay for accounting, anonymised, and still add up.
    const after = await Promise.all(
      [paid, pending].map(
        async (o) =>
          (await expectJson<{ order: Order }>(await api(`/api/orders/${o.id}`, { token: admin }), 200)).order,
      ),
    );
    expect(after.reduce((sum, o) => sum + o.total, 0)).toBe(paid.total + pending.total);
    for (const o of after) expect(o).toMatchObject({ userId: "deleted-user", shippingAddress: "(erased)" });
    expect(after.find((o) => o.id === paid.id)?.status).toBe("paid");

    // The email is free again.
    const again = await registerUser({ email: buyer.email });
    expect(again.user.id).not.toBe(buyer.user.id);
  });
});
