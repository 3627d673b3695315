import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { notifications } from "../src/db/schema";
import { runMaintenance } from "../src/delivery/retention";

const DAY = 24 * 3600_000;
const db = database(env.DB);

function row(status: "pending" | "sent" | "failed", createdAt: number) {
  const id = crypto.randomUUID();
  return {
    id,
    userId: `u-${id}`,
    channel: "email" as const,
    recipient: "a@example.com",
    subject: "Your receipt",
    body: "Thanks for your order",
    html: "<p>Thanks</p>",
    status,
    eventId: `e-${id}`,
    eventType: "payment.succeeded",
    createdAt,
    updatedAt: createdAt,
  };
}

describe("retention of the delivery log", () => {
  it("blanks old delivered messages' bodies after DELIVERY_BODY_RETENTION_DAYS, keeping the rows", async () => {
    const old = Date.now() - 100 * DAY;
    const rows = [row("sent", old), row("failed", old), row("pending", old), row("sent", Date.now() - DAY)];
    await db.insert(notifications).values(rows);
    await runMaintenance({ ...env, DELIVERY_BODY_RETENTION_DAYS: "90" }, db);
    const after = await Promise.all(
      rows.map(async (r) => (await db.select().from(notifications).where(eq(notifications.id, r.id)))[0]),
    );
    expect(after.map((r) => [r?.body, r?.html, r?.subject])).toEqual([
      ["", null, "Your receipt"],
      ["", null, "Your receipt"],
      ["Thanks for your order", "<p>Thanks</p>", "Your receipt"],
      ["Thanks for your order", "<p>Thanks</p>", "Your receipt"],
    ]);
    await runMaintenance({ ...env, DELIVERY_BODY_RETENTION_DAYS: "1" }, db);
    const recent = await db
      .select()
      .from(notifications)
      .where(eq(notifications.id, rows[3]?.id ?? ""));
    expect(recent[0]?.body).toBe("");
  });
});
