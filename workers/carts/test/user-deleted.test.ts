import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { DELETED_USER_ID, type EventEnvelope } from "@edge-shop/contracts";
import { type DeadLetterView, newEvent } from "@edge-shop/worker-kit";
import { describe, expect, it } from "vitest";
import { tablesContaining } from "../../../packages/worker-kit/testing/d1-search";
import { eventually } from "../../../packages/worker-kit/testing/eventually";
import { database } from "../src/db/client";
import { findUserCart } from "../src/db/queries/user-carts";
import { cartStub } from "../src/domain/cart-ids";
import worker from "../src/index";
import { add, call, expectStatus, guestCart, product, user } from "./helpers";

const admin = { userId: "admin-1", role: "admin" } as const;

const deletion = (userId: string): EventEnvelope =>
  newEvent("user.deleted", { userId }, { source: "users", correlationId: `req-${crypto.randomUUID()}` });

/** Runs the queue handler on one batch of `queue` messages. */
async function deliver(queue: string, bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({
      id: `msg-${crypto.randomUUID()}-${i}`,
      timestamp: new Date(),
      attempts,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return { batch, result: await getQueueResult(batch, ctx) };
}

/** What a cart's object keeps: its storage keys and its alarm. */
function storageOf(cartId: string) {
  return runInDurableObject(cartStub(env, cartId), async (_cart, state) => ({
    keys: [...state.storage.kv.list()].map(([key]) => key),
    alarm: await state.storage.getAlarm(),
  }));
}

/** A user with a cart holding one line. */
async function shopper() {
  const who = user();
  const productId = await product();
  const { cart } = await expectStatus(await call("/api/cart", { as: who }), 200);
  await add(cart.id, productId, 2, who);
  return { who, cartId: cart.id };
}

async function deadLetters(): Promise<DeadLetterView[]> {
  const response = await call("/internal/admin/dead-letters?limit=1000", { as: admin });
  return (await expectStatus<{ deadLetters: DeadLetterView[] }>(response, 200)).deadLetters;
}

describe("carts-queue: user.deleted", () => {
  it("deletes the person's cart (the object's storage and alarm) and the record of it, once; others' stay", async () => {
    const ada = await shopper();
    const bob = await shopper();
    expect(await storageOf(ada.cartId)).toMatchObject({ keys: ["cart"], alarm: expect.any(Number) });

    const event = deletion(ada.who.userId);
    const { result } = await deliver("carts-queue", [event, event]);
    expect(result.explicitAcks).toHaveLength(2);
    expect(result.retryMessages).toEqual([]);

    expect(await storageOf(ada.cartId)).toEqual({ keys: [], alarm: null });
    expect(await findUserCart(database(env.DB), ada.who.userId)).toBeUndefined();
    expect(await tablesContaining(env.DB, ada.who.userId)).toEqual([]);
    expect((await call(`/api/carts/${ada.cartId}`, { as: ada.who })).status).toBe(404);

    // A redelivery finds the inbox row and does nothing; the other user's cart is untouched.
    expect((await deliver("carts-queue", [event])).result.explicitAcks).toHaveLength(1);
    const theirs = await expectStatus(await call("/api/cart", { as: bob.who }), 200);
    expect(theirs.cart).toMatchObject({ id: bob.cartId, itemCount: 2 });
    expect(await storageOf(bob.cartId)).toMatchObject({ keys: ["cart"] });
  });

  it("leaves guest carts alone, and acks a deletion of someone without a cart and events not for carts", async () => {
    const guest = await guestCart();
    await add(guest.id, await product(), 1);
    const nobody = deletion(user().userId);
    const other = newEvent(
      "user.registered",
      { userId: user().userId, email: "a@example.test", firstName: "A", lastName: "B" },
      { source: "users", correlationId: "req-other" },
    );
    const { result } = await deliver("carts-queue", [nobody, other]);
    expect(result.explicitAcks).toHaveLength(2);
    const kept = await expectStatus(await call(`/api/carts/${guest.id}`), 200);
    expect(kept.cart.itemCount).toBe(1);
  });

  it("retries only the malformed message of a batch", async () => {
    const ada = await shopper();
    const { batch, result } = await deliver("carts-queue", [
      { id: `bad-${crypto.randomUUID()}`, type: "user.deleted", data: {} },
      deletion(ada.who.userId),
    ]);
    expect(result.explicitAcks).toEqual([batch.messages[1]?.id]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([batch.messages[0]?.id]);
    expect(await findUserCart(database(env.DB), ada.who.userId)).toBeUndefined();
  });
});

describe("carts-queue dead letters", () => {
  it("stores a message whose retries are spent, with its attempts and last error", async () => {
    const poison = { id: `poison-${crypto.randomUUID()}`, type: "user.deleted", data: {} };
    // A real trip: the queue delivers, the consumer fails, the queue retries, then moves it to the DLQ.
    await env.REPLAY_QUEUE.send(poison, { contentType: "json" });
    const dead = await eventually(async () => (await deadLetters()).find((d) => d.eventId === poison.id));
    expect(dead).toMatchObject({
      service: "carts",
      queue: "carts-queue",
      eventType: "user.deleted",
      attempts: 2,
      replayedAt: null,
      body: poison,
    });
    expect(dead.id).toMatch(/^carts:/);
    expect(dead.lastError).not.toBeNull();
  }, 30_000);

  it("replays a dead letter once: the cart goes, and the dead letter no longer names the person", async () => {
    const ada = await shopper();
    const event = deletion(ada.who.userId);
    // As the dead-letter queue delivers it (the consumer had given up on it).
    expect((await deliver("carts-queue-dlq", [event])).result.explicitAcks).toHaveLength(1);
    const dead = (await deadLetters()).find((d) => d.eventId === event.id);
    if (!dead) throw new Error("the dead letter was not stored");

    const replay = await call(`/internal/admin/dead-letters/${dead.id}/replay`, {
      method: "POST",
      as: admin,
    });
    expect(replay.status).toBe(202);
    await eventually(async () =>
      (await findUserCart(database(env.DB), ada.who.userId)) === undefined ? true : undefined,
    );
    expect(await storageOf(ada.cartId)).toEqual({ keys: [], alarm: null });
    const again = await call(`/internal/admin/dead-letters/${dead.id}/replay`, { method: "POST", as: admin });
    expect(again.status).toBe(409);

    const after = (await deadLetters()).find((d) => d.eventId === event.id);
    expect(after?.body).toMatchObject({ data: { userId: DELETED_USER_ID } });
    expect(await tablesContaining(env.DB, ada.who.userId)).toEqual([]);
  }, 30_000);

  it("keeps the admin routes to admins", async () => {
    expect((await call("/internal/admin/dead-letters")).status).toBe(401);
    expect((await call("/internal/admin/dead-letters", { as: user() })).status).toBe(403);
  });
});
