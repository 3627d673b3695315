import { exports } from "cloudflare:workers";
import { NotificationListSchema } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { asUser, deliver, event, uid } from "./helpers";

async function shippedNotifications(userId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const shipped = event("order.shipped", { orderId: `ord${i}-${uid()}`, userId });
    await deliver([shipped]);
    ids.push(shipped.id);
  }
  return ids;
}

describe("GET /api/notifications", () => {
  it("lists the caller's notifications newest first, in the documented shape", async () => {
    const userId = uid("user");
    const welcome = event("user.registered", {
      userId,
      email: "list@example.test",
      firstName: "L",
      lastName: "T",
    });
    await deliver([welcome]);
    await shippedNotifications(userId, 2);

    const response = await asUser(userId, "/api/notifications");
    expect(response.status).toBe(200);
    const body = NotificationListSchema.parse(await response.json());
    expect(body.pagination).toEqual({ page: 1, limit: 10, total: 3, pages: 1 });
    expect(body.notifications.map((n) => n.eventType)).toEqual([
      "order.shipped",
      "order.shipped",
      "user.registered",
    ]);
    const last = body.notifications[2];
    expect(last).toEqual({
      id: expect.any(String),
      channel: "email",
      to: "list@example.test",
      subject: "Welcome to edge-shop, L",
      body: expect.stringContaining("Hi L,"),
      status: "sent",
      eventType: "user.registered",
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const times = body.notifications.map((n) => Date.parse(n.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("paginates with page and limit", async () => {
    const userId = uid("user");
    await shippedNotifications(userId, 5);
    const page2 = (await (await asUser(userId, "/api/notifications?page=2&limit=2")).json()) as {
      notifications: unknown[];
      pagination: unknown;
    };
    expect(page2.notifications).toHaveLength(2);
    expect(page2.pagination).toEqual({ page: 2, limit: 2, total: 5, pages: 3 });
    const page3 = (await (await asUser(userId, "/api/notifications?page=3&limit=2")).json()) as {
      notifications: unknown[];
    };
    expect(page3.notifications).toHaveLength(1);
  });

  it("never shows another user's notifications", async () => {
    const alice = uid("user");
    const bob = uid("user");
    await shippedNotifications(alice, 2);
    const response = await asUser(bob, "/api/notifications");
    expect(await response.json()).toEqual({
      notifications: [],
      pagination: { page: 1, limit: 10, total: 0, pages: 0 },
    });
  });

  it.each(["limit=0", "limit=101", "page=0", "page=abc"])("refuses %s with a 400 problem", async (query) => {
    const response = await asUser(uid("user"), `/api/notifications?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "validation_failed", errors: [expect.any(Object)] });
  });

  it("needs a caller", async () => {
    const response = await exports.default.fetch("http://notifications/api/notifications");
    expect(response.status).toBe(401);
  });
});
