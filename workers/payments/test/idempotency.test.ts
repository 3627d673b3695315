import { idempotencyKeys, requestHash } from "@edge-shop/worker-kit";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { payments } from "../src/db/schema";
import {
  attemptsOf,
  cardBody,
  db,
  insertPayment,
  ordersStub,
  paymentOf,
  postPayment,
  seedOrder,
} from "./helpers";

describe("POST /api/payments idempotency", () => {
  it("replays the first response for the same key and body without charging again", async () => {
    const order = await seedOrder();
    const key = crypto.randomUUID();
    const first = await postPayment(order.userId, cardBody(order.id, "tok_visa"), { key });
    expect(first.status).toBe(201);
    const firstBody = await first.text();

    const replay = await postPayment(order.userId, cardBody(order.id, "tok_visa"), { key });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.text()).toBe(firstBody);
    expect(await attemptsOf(order.id)).toHaveLength(1);
    expect(await ordersStub.calls(order.id)).toHaveLength(1);
  });

  it("replays a declined attempt as declined (no new attempt)", async () => {
    const order = await seedOrder();
    const key = crypto.randomUUID();
    const first = await paymentOf(
      await postPayment(order.userId, cardBody(order.id, "tok_chargeDeclined"), { key }),
    );
    const replay = await paymentOf(
      await postPayment(order.userId, cardBody(order.id, "tok_chargeDeclined"), { key }),
    );
    expect(replay).toEqual(first);
    expect(await attemptsOf(order.id)).toHaveLength(1);
  });

  it("does not store a retry-later 409: the same key runs again once the other payment is over", async () => {
    const order = await seedOrder();
    // Another payment of this order, still at the provider.
    const { id: running } = await insertPayment(order);
    const key = crypto.randomUUID();
    const busy = await postPayment(order.userId, cardBody(order.id, "tok_visa"), { key });
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ code: "payment_in_progress" });

    await db()
      .update(payments)
      .set({ status: "failed", failureReason: "card_declined" })
      .where(eq(payments.id, running));
    const retried = await postPayment(order.userId, cardBody(order.id, "tok_visa"), { key });
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    expect((await paymentOf(retried)).status).toBe("succeeded");
  });

  it("answers 422 for the same key with a different body", async () => {
    const order = await seedOrder();
    const key = crypto.randomUUID();
    await postPayment(order.userId, cardBody(order.id, "tok_chargeDeclined"), { key });
    const reused = await postPayment(order.userId, cardBody(order.id, "tok_visa"), { key });
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: "idempotency_key_reused" });
    expect(await attemptsOf(order.id)).toHaveLength(1);
  });

  it("answers 409 while the first request with the key is still in flight", async () => {
    const order = await seedOrder();
    const key = crypto.randomUUID();
    const body = JSON.stringify(cardBody(order.id, "tok_visa"));
    const now = Date.now();
    // The state a running first request leaves: its claim, no response yet.
    await db()
      .insert(idempotencyKeys)
      .values({
        userId: order.userId,
        key,
        requestHash: await requestHash("POST", "/api/payments", body),
        state: "in_flight",
        claim: crypto.randomUUID(),
        createdAt: now,
        expiresAt: now + 86_400_000,
      });
    const second = await postPayment(order.userId, body, { key });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ code: "idempotency_key_in_flight" });
    expect(await attemptsOf(order.id)).toHaveLength(0);
  });

  it("scopes keys per user: another user's same key is a new request", async () => {
    const mine = await seedOrder();
    const theirs = await seedOrder();
    const key = crypto.randomUUID();
    expect((await postPayment(mine.userId, cardBody(mine.id, "tok_visa"), { key })).status).toBe(201);
    const other = await postPayment(theirs.userId, cardBody(theirs.id, "tok_visa"), { key });
    expect(other.status).toBe(201);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
  });
});
