import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countingD1 } from "../../../packages/worker-kit/test/call-counters";
import { deliver, event, rowsOf, setPreferences, uid } from "./helpers";

const items = [{ productId: "p1", name: "Widget", unitPrice: 1999, quantity: 2, lineTotal: 3998 }];
const orderCreated = (userId: string) =>
  event("order.created", { orderId: uid("ord"), userId, items, total: 3998, currency: "USD" });

// D1 round trips per delivered batch of events, pinned (the benchmark's order floor counts them): the
// preferences, the delivery-log rows and their claims are one batch; the `sent` marks are one write.
describe("notification delivery: D1 round trips", () => {
  it("an order.created email is one batch and one write", async () => {
    const counter = countingD1(env.DB);
    const created = orderCreated(uid("user"));
    const result = await deliver([created], { env: { ...env, DB: counter.d1 } });
    expect(result.explicitAcks).toHaveLength(1);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 1, batches: 1 });
    expect(await rowsOf(created.id)).toEqual([expect.objectContaining({ channel: "email", status: "sent" })]);
  });

  it("a payment receipt (transactional) is one batch and one write, and a redelivery sends nothing", async () => {
    const counter = countingD1(env.DB);
    const userId = uid("user");
    await setPreferences(userId, { email: false });
    const paid = event("payment.succeeded", {
      paymentId: uid("pay"),
      orderId: uid("ord"),
      userId,
      amount: 3998,
      currency: "USD",
      items,
    });
    const result = await deliver([paid], { env: { ...env, DB: counter.d1 } });
    expect(result.explicitAcks).toHaveLength(1);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 1, batches: 1 });
    expect(await rowsOf(paid.id)).toEqual([expect.objectContaining({ channel: "email", status: "sent" })]);
    await deliver([paid], { attempts: 2 });
    expect(await rowsOf(paid.id)).toEqual([expect.objectContaining({ status: "sent", attempts: 1 })]);
  });

  it("email and SMS: still one batch, then one write for both", async () => {
    const userId = uid("user");
    await setPreferences(userId, { sms: true, phone: "+447700900123" });
    const counter = countingD1(env.DB);
    const created = orderCreated(userId);
    await deliver([created], { env: { ...env, DB: counter.d1 } });
    expect(counter.calls).toMatchObject({ reads: 0, writes: 1, batches: 1 });
    expect((await rowsOf(created.id)).map((r) => [r.channel, r.recipient, r.status])).toEqual([
      ["email", expect.stringContaining("@"), "sent"],
      ["sms", "+447700900123", "sent"],
    ]);
  });

  it("a batch of events from several users: one contacts RPC, one batch, one write", async () => {
    const counter = countingD1(env.DB);
    const lookups: string[][] = [];
    const users: Env["USERS"] = {
      ...env.USERS,
      contacts: (ids: string[], correlationId?: string) => {
        lookups.push(ids);
        return env.USERS.contacts(ids, correlationId);
      },
    };
    const smsUser = uid("user");
    await setPreferences(smsUser, { sms: true, phone: "+447700900124" });
    const events = [orderCreated(uid("user")), orderCreated(smsUser), orderCreated(uid("user"))];
    const result = await deliver(events, { env: { ...env, DB: counter.d1, USERS: users } });
    expect(result.explicitAcks).toHaveLength(3);
    expect(lookups).toEqual([expect.arrayContaining(events.map((e) => e.data.userId))]);
    expect(counter.calls).toMatchObject({ reads: 0, writes: 1, batches: 1 });
    for (const e of events) {
      expect((await rowsOf(e.id)).every((r) => r.status === "sent")).toBe(true);
    }
    expect((await rowsOf(events[1]?.id ?? "")).map((r) => r.channel)).toEqual(["email", "sms"]);
  });

  it("a redelivery reads the rows it could not claim and sends nothing", async () => {
    const created = orderCreated(uid("user"));
    await deliver([created]);
    const counter = countingD1(env.DB);
    const again = await deliver([created], { attempts: 2, env: { ...env, DB: counter.d1 } });
    expect(again.explicitAcks).toHaveLength(1);
    // The batch, the read of the rows already sent, and the cleared failure record of a redelivered message.
    expect(counter.calls).toMatchObject({ reads: 1, writes: 1, batches: 1 });
    expect(await rowsOf(created.id)).toEqual([
      expect.objectContaining({ channel: "email", status: "sent", attempts: 1 }),
    ]);
  });

  it("a redelivery after the preferences changed leaves the rows of the first delivery as they are", async () => {
    const userId = uid("user");
    await setPreferences(userId, { sms: true, phone: "+14155550100" });
    const created = orderCreated(userId);
    await deliver([created]);
    await setPreferences(userId, { email: false, sms: false });
    const again = await deliver([created], { attempts: 2 });
    expect(again.explicitAcks).toHaveLength(1);
    expect((await rowsOf(created.id)).map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ["email", "sent", 1],
      ["sms", "sent", 1],
    ]);
  });
});
