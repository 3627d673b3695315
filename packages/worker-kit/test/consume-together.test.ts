import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import type { EventEnvelope } from "@edge-shop/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { consumeEventsTogether, type EventOutcome, retryMessage } from "../src/consumer";
import { newEvent } from "../src/events";

function failedPayment(orderId: string) {
  return newEvent(
    "payment.failed",
    {
      paymentId: `pay-${orderId}`,
      orderId,
      userId: "u",
      amount: 100,
      currency: "USD",
      reason: "card_declined",
    },
    { source: "payments", correlationId: `corr-${orderId}` },
  );
}

async function consume(
  bodies: unknown[],
  handlers: Parameters<typeof consumeEventsTogether>[2],
): Promise<{ acked: number[]; retried: number[] }> {
  const batch = createMessageBatch(
    "orders-queue",
    bodies.map((body, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await consumeEventsTogether(batch, "test", handlers);
  const result = await getQueueResult(batch, ctx);
  const index = (id: string) => Number(id.slice("msg-".length));
  return {
    acked: result.explicitAcks.map(index).sort(),
    retried: result.retryMessages.map((m) => index(m.msgId)).sort(),
  };
}

const never = async () => {
  throw new Error("one at a time was not expected");
};

describe("consumeEventsTogether", () => {
  it("applies a batch's events in one call, each once; copies share the outcome, failures retry alone", async () => {
    const [a, b, c] = [failedPayment("a"), failedPayment("b"), failedPayment("c")];
    const calls: string[][] = [];
    const applyAll = async (events: EventEnvelope[]) => {
      calls.push(events.map((e) => e.id));
      const outcome = (e: EventEnvelope): EventOutcome =>
        e.id === b.id ? { ok: false, error: new Error("unknown order") } : { ok: true };
      // c is left out of the answer: its message must be retried, not acked.
      return new Map(events.filter((e) => e.id !== c.id).map((e) => [e.id, outcome(e)]));
    };
    const result = await consume([a, b, a, { type: "nonsense" }, c], { handle: never, applyAll });
    expect(calls).toEqual([[a.id, b.id, c.id]]);
    expect(result).toEqual({ acked: [0, 2], retried: [1, 3, 4] });
  });

  it("falls back to one message at a time when applying them together fails", async () => {
    const [a, b] = [failedPayment("d"), failedPayment("e")];
    const handled: string[] = [];
    const handle = async (event: EventEnvelope) => {
      handled.push(event.id);
      if (event.id === b.id) throw new Error("b is broken");
    };
    const applyAll = async () => {
      throw new Error("the batch failed");
    };
    const result = await consume([a, b], { handle, applyAll });
    expect(handled).toEqual([a.id, b.id]);
    expect(result).toEqual({ acked: [0], retried: [1] });
  });

  it("does not call applyAll when no message holds an event", async () => {
    const result = await consume([{ nope: 1 }], { handle: never, applyAll: never });
    expect(result).toEqual({ acked: [], retried: [0] });
  });
});

describe("retryMessage", () => {
  afterEach(() => vi.restoreAllMocks());

  async function retried(lastAttempt: boolean | undefined) {
    const lines: { level: string; outcome: string; delaySeconds: number; service?: string }[] = [];
    const write = (line: unknown) => void lines.push(JSON.parse(String(line)));
    for (const level of ["log", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation(write);
    const batch = createMessageBatch("orders-queue", [
      { id: "msg-0", timestamp: new Date(), attempts: 3, body: {} },
    ]);
    const [message] = batch.messages;
    if (!message) throw new Error("no message");
    const ctx = createExecutionContext();
    await retryMessage(
      { queue: "orders-queue", message, event: undefined, error: new Error("down") },
      { retryBaseSeconds: 2, service: "test", ...(lastAttempt === undefined ? {} : { lastAttempt }) },
    );
    const result = await getQueueResult(batch, ctx);
    return { line: lines[0], retries: result.retryMessages };
  }

  it("retries after the backoff and logs why; a consumer that knows the last attempt says so", async () => {
    const unknown = await retried(undefined);
    expect(unknown.retries.map((m) => m.msgId)).toEqual(["msg-0"]);
    expect(unknown.line).toMatchObject({
      level: "error",
      outcome: "retry",
      delaySeconds: 8,
      service: "test",
    });
    expect((await retried(false)).line).toMatchObject({ level: "warn", outcome: "retry" });
    expect((await retried(true)).line).toMatchObject({ level: "error", outcome: "dead-letter" });
  });
});
