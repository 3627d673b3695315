import { env, exports } from "cloudflare:workers";
import { DELETED_USER_ID } from "@edge-shop/contracts";
import { newEvent } from "@edge-shop/worker-kit";
import { describe, expect, it } from "vitest";
import { tablesContaining } from "../../../packages/worker-kit/testing/d1-search";
import {
  cardBody,
  deliver,
  type PaymentJson,
  paymentOf,
  postPayment,
  seedOrder,
  userHeaders,
} from "./helpers";

async function exportOf(userId: string) {
  const response = await exports.default.fetch("http://payments/internal/export", {
    headers: await userHeaders(userId),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { payments: PaymentJson[] }).payments;
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
    expect((await deliver([event])).result.explicitAcks).toHaveLength(1);
    expect((await deliver([event])).result.explicitAcks).toHaveLength(1);

    expect(await tablesContaining(env.DB, order.userId)).toEqual([]);
    const row = await env.DB.prepare("SELECT user_id AS userId, amount, status FROM payments WHERE id = ?")
      .bind(paid.id)
      .first();
    expect(row).toEqual({ userId: DELETED_USER_ID, amount: paid.amount, status: "succeeded" });
    expect(await exportOf(order.userId)).toEqual([]);
    expect(await exportOf(other.userId)).toHaveLength(1);
  });
});
