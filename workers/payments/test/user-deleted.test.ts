import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { DELETED_USER_ID } from "@edge-shop/contracts";
import { newEvent } from "@edge-shop/worker-kit";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { cardBody, type PaymentJson, paymentOf, postPayment, seedOrder, userHeaders } from "./helpers";

async function deliver(bodies: unknown[]) {
  const batch = createMessageBatch(
    "payments-queue",
    bodies.map((body, i) => ({
      id: `msg-${crypto.randomUUID()}-${i}`,
      timestamp: Date.now(),
      attempts: 1,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

async function exportOf(userId: string) {
  const response = await exports.default.fetch("http://payments/internal/export", {
    headers: await userHeaders(userId),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { payments: PaymentJson[] }).payments;
}

async function rowsNaming(text: string): Promise<string[]> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ name: string }>();
  const found: string[] = [];
  for (const { name } of tables.results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    if (JSON.stringify(rows.results).includes(text)) found.push(name);
  }
  return found;
}

describe("user.deleted", () => {
  it("keeps the person's payments, amounts included, naming no one; idempotent", async () => {
    const order = await seedOrder();
    const paid = await paymentOf(await postPayment(order.userId, cardBody(order.id, "tok_visa")));
    const other = await seedOrder();
    await postPayment(other.userId, cardBody(other.id, "tok_visa"));
    expect(await exportOf(order.userId)).toEqual([paid]);

    const event = newEvent(
      "user.deleted",
      { userId: order.userId },
      { source: "users", correlationId: "req-del" },
    );
    expect((await deliver([event])).explicitAcks).toHaveLength(1);
    expect((await deliver([event])).explicitAcks).toHaveLength(1);

    expect(await rowsNaming(order.userId)).toEqual([]);
    const row = await env.DB.prepare("SELECT user_id AS userId, amount, status FROM payments WHERE id = ?")
      .bind(paid.id)
      .first();
    expect(row).toEqual({ userId: DELETED_USER_ID, amount: paid.amount, status: "succeeded" });
    expect(await exportOf(order.userId)).toEqual([]);
    expect(await exportOf(other.userId)).toHaveLength(1);
  });
});
