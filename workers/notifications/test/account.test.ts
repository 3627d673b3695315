import { env } from "cloudflare:workers";
import type { Notification, Preferences } from "@edge-shop/contracts";
import { describe, expect, it, vi } from "vitest";
import { asUser, deliver, event, httpEnv, rowsOf, setPreferences, stubProviders, uid } from "./helpers";

const fetchSpy = () => vi.mocked(globalThis.fetch);
const TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-ABCDE";
const link = (userId: string, email: string, token = TOKEN) => ({
  userId,
  email,
  firstName: "Ada",
  token,
  expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
});

async function inbox(userId: string): Promise<Notification[]> {
  const response = await asUser(userId, "/api/notifications?limit=100");
  return ((await response.json()) as { notifications: Notification[] }).notifications;
}

describe("account emails", () => {
  it("go to the address the event carries, by email only, even with email off and SMS on", async () => {
    const userId = uid();
    await setPreferences(userId, { email: false, sms: true, phone: "+14155550123" });
    const reset = event("user.password_reset_requested", link(userId, "ada@example.test"));
    expect((await deliver([reset])).explicitAcks).toHaveLength(1);
    const rows = await rowsOf(reset.id);
    expect(rows).toMatchObject([{ channel: "email", recipient: "ada@example.test", status: "sent" }]);
  });

  it("under the log provider the delivery log is the local mailbox: the link is whole", async () => {
    const userId = uid();
    await deliver([event("user.password_reset_requested", link(userId, `${userId}@example.test`))]);
    const [message] = await inbox(userId);
    expect(message?.body).toContain(`${env.SHOP_ORIGIN}/#/reset-password?token=${TOKEN}`);
  });

  it("with a real provider the message sent has the link, the stored copy has it masked", async () => {
    const userId = uid();
    const seen = stubProviders(fetchSpy(), () => Response.json({ id: "email_1" }));
    const verify = event("user.verification_requested", link(userId, `${userId}@example.test`));
    await deliver([verify], { env: httpEnv() });
    const [request] = seen;
    if (!request) throw new Error("nothing sent");
    const sent = (await request.json()) as { text: string; html: string };
    expect(sent.text).toContain(`/#/verify-email?token=${TOKEN}`);
    expect(sent.html).toContain(TOKEN);
    const [row] = await rowsOf(verify.id);
    expect(row?.body).not.toContain(TOKEN);
    expect(row?.html).not.toContain(TOKEN);
    expect(row?.body).toContain("/#/verify-email?token=[masked]");
    const [message] = await inbox(userId);
    expect(JSON.stringify(message)).not.toContain(TOKEN);
  });

  it("a retry after a masked first attempt still sends the whole link", async () => {
    const userId = uid();
    const verify = event("user.verification_requested", link(userId, `${userId}@example.test`));
    stubProviders(fetchSpy(), () => new Response("down", { status: 503 }));
    await deliver([verify], { env: httpEnv() });
    const seen = stubProviders(fetchSpy(), () => Response.json({ id: "email_2" }));
    await deliver([verify], { env: httpEnv(), attempts: 2 });
    const [request] = seen;
    if (!request) throw new Error("nothing sent");
    expect(((await request.json()) as { text: string }).text).toContain(TOKEN);
    expect((await rowsOf(verify.id))[0]).toMatchObject({ status: "sent" });
  });

  it("an email change and its notice in one batch go to the new and the old address", async () => {
    const userId = uid();
    const asked = event("user.email_change_requested", link(userId, "new@example.test"));
    const changed = event("user.email_changed", {
      userId,
      email: "old@example.test",
      firstName: "Ada",
      newEmail: "new@example.test",
    });
    await deliver([asked, changed]);
    expect((await rowsOf(asked.id))[0]?.recipient).toBe("new@example.test");
    expect((await rowsOf(changed.id))[0]?.recipient).toBe("old@example.test");
  });
});

describe("user.deleted", () => {
  it("erases the person's delivery log, preferences and dead letters; later messages write nothing", async () => {
    const userId = uid();
    const email = `${userId}@example.test`;
    await setPreferences(userId, { sms: true, phone: "+14155550199" });
    await deliver([
      event("user.registered", { userId, email, firstName: "Zed", lastName: "Erasure" }),
      event("order.shipped", { orderId: uid("ord"), userId }),
    ]);
    await env.DB.prepare(
      "INSERT INTO dead_letters (id, queue, message_id, body, attempts, received_at) VALUES (?, 'notifications-queue', ?, ?, 6, 1)",
    )
      .bind(uid("dl"), uid("msg"), JSON.stringify({ data: { userId, email } }))
      .run();
    expect((await inbox(userId)).length).toBeGreaterThan(0);

    const deleted = event("user.deleted", { userId });
    expect((await deliver([deleted])).explicitAcks).toHaveLength(1);
    // Twice is harmless.
    expect((await deliver([deleted])).explicitAcks).toHaveLength(1);

    const late = event("user.email_changed", { userId, email, firstName: "Zed", newEmail: "n@example.test" });
    const result = await deliver([late, event("order.delivered", { orderId: uid("ord"), userId })]);
    expect(result.explicitAcks).toHaveLength(2);
    expect(await inbox(userId)).toEqual([]);
    const dump = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM notifications WHERE user_id = ?1) + (SELECT count(*) FROM preferences WHERE user_id = ?1) + (SELECT count(*) FROM dead_letters WHERE body LIKE ?2) AS n",
    )
      .bind(userId, `%${email}%`)
      .first<{ n: number }>();
    expect(dump?.n).toBe(0);
    const prefs = await asUser(userId, "/api/notifications/preferences");
    expect(((await prefs.json()) as { preferences: Preferences }).preferences).toEqual({
      email: true,
      sms: false,
      phone: null,
    });
  });
});

describe("GET /internal/export", () => {
  it("answers every notification of the caller and their preferences, nobody else's", async () => {
    const userId = uid();
    await setPreferences(userId, { email: false });
    await deliver([
      event("user.registered", { userId, email: `${userId}@example.test`, firstName: "A", lastName: "B" }),
      event("order.cancelled", { orderId: uid("ord"), userId, reason: "customer" }),
      event("order.cancelled", { orderId: uid("ord"), userId: uid(), reason: "customer" }),
    ]);
    const response = await asUser(userId, "/internal/export");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { notifications: Notification[]; preferences: Preferences };
    expect(body.preferences).toEqual({ email: false, sms: false, phone: null });
    expect(body.notifications.map((n) => n.eventType)).toEqual(["order.cancelled"]);
  });
});
