import { createScheduledController } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { registerUser } from "./helpers";

describe("UsersRpc.contacts", () => {
  it("returns the contact details of the known users, leaving unknown ids out", async () => {
    const { user } = await registerUser({ firstName: "Con", lastName: "Tact" });
    const other = (await registerUser()).user;
    const contacts = await exports.UsersRpc.contacts([user.id, "no-such-user", other.id, user.id]);
    expect(contacts.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(
      [
        { userId: user.id, email: user.email, firstName: "Con", lastName: "Tact" },
        { userId: other.id, email: other.email, firstName: other.firstName, lastName: other.lastName },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
    );
    expect(await exports.UsersRpc.contacts([])).toEqual([]);
  });

  it("answers more ids than D1 binds in one statement", async () => {
    const { user } = await registerUser();
    const ids = [...Array.from({ length: 150 }, (_, i) => `missing-${i}`), user.id];
    expect((await exports.UsersRpc.contacts(ids)).map((c) => c.userId)).toEqual([user.id]);
  });
});

describe("scheduled handler", () => {
  async function runScheduled(): Promise<void> {
    await worker.scheduled(createScheduledController({ cron: "* * * * *" }), env);
  }

  it("republishes outbox rows left unsent", async () => {
    const id = `evt-${crypto.randomUUID()}`;
    const event = {
      id,
      type: "user.registered",
      version: 1,
      occurredAt: new Date().toISOString(),
      source: "users",
      correlationId: "req-1",
      data: { userId: "u", email: "u@example.com", firstName: "U", lastName: "V" },
    };
    await env.DB.prepare(
      "INSERT INTO outbox (id, event_id, destination, body, created_at) VALUES (?, ?, 'notifications-queue', ?, ?)",
    )
      .bind(`${id}:notifications-queue`, id, JSON.stringify(event), Date.now() - 120_000)
      .run();
    await runScheduled();
    const row = await env.DB.prepare("SELECT sent_at FROM outbox WHERE event_id = ?")
      .bind(id)
      .first<{ sent_at: number | null }>();
    expect(row?.sent_at).not.toBeNull();
  });

  it("republishes an unsent account link, then keeps no token in its outbox row", async () => {
    const id = `evt-${crypto.randomUUID()}`;
    const token = "T".repeat(43);
    const event = {
      id,
      type: "user.password_reset_requested",
      version: 1,
      occurredAt: new Date().toISOString(),
      source: "users",
      correlationId: "req-2",
      data: {
        userId: "u",
        email: "u@example.com",
        firstName: "U",
        token,
        expiresAt: new Date().toISOString(),
      },
    };
    await env.DB.prepare(
      "INSERT INTO outbox (id, event_id, destination, body, created_at) VALUES (?, ?, 'notifications-queue', ?, ?)",
    )
      .bind(`${id}:notifications-queue`, id, JSON.stringify(event), Date.now() - 120_000)
      .run();
    await runScheduled();
    const row = await env.DB.prepare("SELECT sent_at, body FROM outbox WHERE event_id = ?")
      .bind(id)
      .first<{ sent_at: number | null; body: string }>();
    expect(row?.sent_at).not.toBeNull();
    expect(row?.body).not.toContain(token);
    expect(JSON.parse(row?.body ?? "{}")).toMatchObject({
      type: "user.password_reset_requested",
      data: { userId: "u" },
    });
  });

  it("drops refresh tokens that expired more than a day ago", async () => {
    const { user } = await registerUser();
    const old = Date.now() - 3 * 24 * 3600_000;
    await env.DB.prepare("UPDATE refresh_tokens SET expires_at = ? WHERE user_id = ?")
      .bind(old, user.id)
      .run();
    await runScheduled();
    const count = await env.DB.prepare("SELECT count(*) AS n FROM refresh_tokens WHERE user_id = ?")
      .bind(user.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(0);
  });
});
