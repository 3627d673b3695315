import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { deliver, event, httpEnv, rowsOf, setPreferences, stubProviders, uid } from "./helpers";

const items = [{ productId: "p1", name: "Widget", unitPrice: 1999, quantity: 2, lineTotal: 3998 }];
const orderCreated = (userId: string) =>
  event("order.created", { orderId: uid("ord"), userId, items, total: 3998, currency: "USD" });
const receipt = (userId: string) =>
  event("payment.succeeded", {
    paymentId: uid("pay"),
    orderId: uid("ord"),
    userId,
    amount: 3998,
    currency: "USD",
    items,
  });
const fetchSpy = () => vi.mocked(globalThis.fetch);

describe("consumer with the log provider (local default)", () => {
  it("records the welcome email as sent, addressed from the event itself", async () => {
    const userId = uid("user");
    const welcome = event("user.registered", {
      userId,
      email: "new@example.test",
      firstName: "Nina",
      lastName: "N",
    });
    const result = await deliver([welcome]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    const [row, ...rest] = await rowsOf(welcome.id);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      channel: "email",
      recipient: "new@example.test",
      status: "sent",
      attempts: 1,
      eventType: "user.registered",
      subject: "Welcome to edge-shop, Nina",
    });
  });

  it("looks the recipient up in users and escapes their name in the stored HTML", async () => {
    const userId = uid("xss");
    const created = orderCreated(userId);
    await deliver([created]);
    const [row] = await rowsOf(created.id);
    expect(row?.recipient).toBe(`${userId}@example.test`);
    expect(row?.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(row?.html).not.toContain("<script>");
    expect(row?.status).toBe("sent");
  });

  it("acks without a notification when the user no longer exists", async () => {
    const gone = orderCreated(uid("gone"));
    const result = await deliver([gone]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await rowsOf(gone.id)).toEqual([]);
  });

  it("retries when the users service fails", async () => {
    const boom = orderCreated(uid("boom"));
    const result = await deliver([boom]);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
    expect(result.retryDelays).toEqual([2]);
    expect(await rowsOf(boom.id)).toEqual([]);
  });

  it("retries a malformed event (it ends in the dead-letter queue)", async () => {
    const result = await deliver([
      { id: "x", type: "order.created", data: { nope: true } },
      { hello: "world" },
    ]);
    expect(result.retryMessages).toHaveLength(2);
  });

  it("payment.refunded confirms the refund by email", async () => {
    const refunded = event("payment.refunded", {
      paymentId: uid("pay"),
      orderId: uid("ord"),
      userId: uid("user"),
      amount: 100,
      currency: "USD",
    });
    const result = await deliver([refunded]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await rowsOf(refunded.id)).toEqual([
      expect.objectContaining({
        channel: "email",
        status: "sent",
        subject: expect.stringContaining("issued"),
      }),
    ]);
  });

  it("handles each message of a batch on its own", async () => {
    const good = orderCreated(uid("user"));
    const result = await deliver([good, { hello: "malformed" }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(1);
    expect((await rowsOf(good.id))[0]?.status).toBe("sent");
  });

  it("when users cannot be asked, a batch's welcome emails still go out and the rest is retried", async () => {
    const welcome = event("user.registered", {
      userId: uid("user"),
      email: "fresh@example.test",
      firstName: "Fay",
      lastName: "F",
    });
    const looked = orderCreated(uid("user"));
    const boom = orderCreated(uid("boom"));
    const result = await deliver([welcome, looked, boom]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(2);
    expect((await rowsOf(welcome.id))[0]?.status).toBe("sent");
    expect(await rowsOf(looked.id)).toEqual([]);
    expect(await rowsOf(boom.id)).toEqual([]);
  });

  it("a batch mixing known and unknown users sends to the known ones and acks all", async () => {
    const known = orderCreated(uid("user"));
    const gone = orderCreated(uid("gone"));
    const result = await deliver([known, gone]);
    expect(result.explicitAcks).toHaveLength(2);
    expect((await rowsOf(known.id))[0]?.status).toBe("sent");
    expect(await rowsOf(gone.id)).toEqual([]);
  });
});

describe("deduplication", () => {
  it("a redelivered event is sent once", async () => {
    const sent = stubProviders(fetchSpy(), () => Response.json({ id: "m1" }));
    const created = orderCreated(uid("user"));
    const first = await deliver([created], { env: httpEnv() });
    const second = await deliver([created], { env: httpEnv() });
    expect(first.explicitAcks).toHaveLength(1);
    expect(second.explicitAcks).toHaveLength(1);
    expect(sent).toHaveLength(1);
    expect(await rowsOf(created.id)).toEqual([expect.objectContaining({ status: "sent", attempts: 1 })]);
  });

  it("the same event twice in one batch is sent once", async () => {
    const sent = stubProviders(fetchSpy(), () => Response.json({ id: "m1" }));
    const created = orderCreated(uid("user"));
    const result = await deliver([created, created], { env: httpEnv() });
    expect(result.explicitAcks).toHaveLength(2);
    expect(sent).toHaveLength(1);
  });

  it("a row another delivery is sending is not sent again: the message is retried", async () => {
    const created = orderCreated(uid("user"));
    await env.DB.prepare(
      `INSERT INTO notifications (id, user_id, channel, recipient, subject, body, status, attempts, event_id, event_type, locked_until, created_at, updated_at)
       VALUES (?, ?, 'email', 'x@example.test', 's', 'b', 'pending', 1, ?, 'order.created', ?, ?, ?)`,
    )
      .bind(uid("n"), created.data.userId, created.id, Date.now() + 60_000, Date.now(), Date.now())
      .run();
    const sent = stubProviders(fetchSpy(), () => Response.json({ id: "m1" }));
    const result = await deliver([created], { env: httpEnv() });
    expect(sent).toHaveLength(0);
    expect(result.retryMessages).toHaveLength(1);
  });
});

describe("provider failures", () => {
  it("retries with backoff, then marks the log failed on the last attempt and lets the queue dead-letter it", async () => {
    const sent = stubProviders(fetchSpy(), () => new Response("upstream down", { status: 503 }));
    const created = orderCreated(uid("user"));

    const first = await deliver([created], { env: httpEnv(), attempts: 1 });
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toHaveLength(1);
    // NOTIFY_RETRY_BASE_SECONDS = 2 in the test config: 2 s, then 4 s, 8 s …
    expect(first.retryDelays).toEqual([2]);
    expect(await rowsOf(created.id)).toEqual([
      expect.objectContaining({ status: "pending", attempts: 1, lastError: expect.stringContaining("503") }),
    ]);

    const second = await deliver([created], { env: httpEnv(), attempts: 2 });
    expect(second.retryMessages).toHaveLength(1);
    expect(second.retryDelays).toEqual([4]);

    // NOTIFY_MAX_ATTEMPTS = 6 (max_retries 5 + 1): this delivery is the last one.
    const last = await deliver([created], { env: httpEnv(), attempts: 6 });
    expect(last.explicitAcks).toEqual([]);
    expect(last.retryMessages).toHaveLength(1);
    expect(await rowsOf(created.id)).toEqual([
      expect.objectContaining({ status: "failed", attempts: 3, lastError: expect.stringContaining("503") }),
    ]);
    expect(sent).toHaveLength(3);
  });

  it("a message the provider refuses for good is marked failed at once and acked", async () => {
    stubProviders(fetchSpy(), () => Response.json({ message: "invalid to" }, { status: 422 }));
    const created = orderCreated(uid("user"));
    const result = await deliver([created], { env: httpEnv() });
    expect(result.explicitAcks).toHaveLength(1);
    expect(await rowsOf(created.id)).toEqual([
      expect.objectContaining({ status: "failed", attempts: 1, lastError: expect.stringContaining("422") }),
    ]);
  });

  it("a retry resends only the channel that failed", async () => {
    const userId = uid("user");
    await setPreferences(userId, { sms: true, phone: "+14155550123" });
    const sent = stubProviders(fetchSpy(), (request) =>
      new URL(request.url).host === "sms.test" && sent.filter((r) => r.url.includes("sms")).length < 2
        ? new Response("busy", { status: 500 })
        : Response.json({ ok: true }),
    );
    const paid = receipt(userId);
    const first = await deliver([paid], { env: httpEnv() });
    expect(first.retryMessages).toHaveLength(1);
    expect((await rowsOf(paid.id)).map((r) => [r.channel, r.status])).toEqual([
      ["email", "sent"],
      ["sms", "pending"],
    ]);
    const second = await deliver([paid], { env: httpEnv(), attempts: 2 });
    expect(second.explicitAcks).toHaveLength(1);
    expect((await rowsOf(paid.id)).map((r) => [r.channel, r.status])).toEqual([
      ["email", "sent"],
      ["sms", "sent"],
    ]);
    expect(sent.map((r) => new URL(r.url).host)).toEqual(["email.test", "sms.test", "sms.test"]);
  });

  it("a replay from the dead-letter queue (a fresh delivery) tries a failed row again", async () => {
    const created = orderCreated(uid("user"));
    stubProviders(fetchSpy(), () => new Response("down", { status: 503 }));
    await deliver([created], { env: httpEnv(), attempts: 6 });
    expect((await rowsOf(created.id))[0]?.status).toBe("failed");

    stubProviders(fetchSpy(), () => Response.json({ id: "ok" }));
    const replay = await deliver([created], { env: httpEnv(), attempts: 1 });
    expect(replay.explicitAcks).toHaveLength(1);
    expect(await rowsOf(created.id)).toEqual([expect.objectContaining({ status: "sent", attempts: 2 })]);
  });

  it("a misconfigured provider (no API key) is retried, not silently dropped", async () => {
    const created = orderCreated(uid("user"));
    const result = await deliver([created], { env: { ...httpEnv(), EMAIL_API_KEY: undefined } });
    expect(result.retryMessages).toHaveLength(1);
    expect((await rowsOf(created.id))[0]?.lastError).toContain("EMAIL_API_KEY");
  });
});

describe("preferences in the consumer", () => {
  it("email opt-out silences informational messages but not transactional ones", async () => {
    const userId = uid("user");
    await setPreferences(userId, { email: false });
    const created = orderCreated(userId);
    const shipped = event("order.shipped", { orderId: uid("ord"), userId });
    const paid = receipt(userId);
    const failed = event("payment.failed", {
      paymentId: uid("pay"),
      orderId: uid("ord"),
      userId,
      amount: 10,
      currency: "USD",
      reason: "card_declined",
    });
    const cancelled = event("order.cancelled", { orderId: uid("ord"), userId, reason: "customer" });
    const refunded = event("order.refunded", { orderId: uid("ord"), userId, amount: 10, currency: "USD" });
    const result = await deliver([created, shipped, paid, failed, cancelled, refunded]);
    expect(result.explicitAcks).toHaveLength(6);
    expect(await rowsOf(created.id)).toEqual([]);
    expect(await rowsOf(shipped.id)).toEqual([]);
    for (const e of [paid, failed, cancelled, refunded]) {
      expect(await rowsOf(e.id)).toEqual([expect.objectContaining({ channel: "email", status: "sent" })]);
    }
  });

  it("sends SMS only when sms is on with a phone, to that phone, with the short text", async () => {
    const userId = uid("user");
    const before = orderCreated(userId);
    await deliver([before]);
    expect((await rowsOf(before.id)).map((r) => r.channel)).toEqual(["email"]);

    await setPreferences(userId, { sms: true, phone: "+447700900123" });
    const after = orderCreated(userId);
    await deliver([after]);
    const rows = await rowsOf(after.id);
    expect(rows.map((r) => r.channel)).toEqual(["email", "sms"]);
    expect(rows[1]).toMatchObject({ recipient: "+447700900123", html: null, status: "sent" });
    expect(rows[1]?.body).toContain("$39.98");
  });

  it("sms without email: only the SMS goes out for an informational message", async () => {
    const userId = uid("user");
    await setPreferences(userId, { email: false, sms: true, phone: "+14155550100" });
    const shipped = event("order.shipped", { orderId: uid("ord"), userId });
    await deliver([shipped]);
    expect((await rowsOf(shipped.id)).map((r) => r.channel)).toEqual(["sms"]);
  });
});
