import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/app";
import { runMaintenance } from "../src/domain/maintenance";
import { SETTLE_AFTER_MS, STALE_ATTEMPT_MS } from "../src/domain/settle-later";
import { FakeStripe } from "./fake-stripe";
import {
  attemptsOf,
  cardBody,
  db,
  ordersStub,
  outboxEventsOf,
  type PaymentJson,
  seedOrder,
  userHeaders,
} from "./helpers";

const stripeEnv = {
  ...env,
  PAYMENT_PROVIDER: "stripe",
  PAYMENT_PROVIDER_URL: "https://api.stripe.test",
  PAYMENT_PROVIDER_SECRET: "sk_test_unknown",
};

/** Stripe behind the SDK's HTTP client, for every Stripe client the worker makes. */
function fakeStripe() {
  const fake = new FakeStripe();
  vi.spyOn(Stripe, "createFetchHttpClient").mockReturnValue(fake.client as never);
  return fake;
}

async function pay(userId: string, body: unknown, key = crypto.randomUUID()) {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request("http://payments/api/payments", {
      method: "POST",
      headers: await userHeaders(userId, "user", {
        "content-type": "application/json",
        "idempotency-key": key,
      }),
      body: JSON.stringify(body),
    }),
    stripeEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const cron = (after: number) => runMaintenance(stripeEnv, db(), Date.now() + after);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("an unknown outcome is not a failure", () => {
  it("the answer is lost after the provider charged; the customer retries: exactly one charge, the order paid", async () => {
    const fake = fakeStripe();
    const order = await seedOrder();
    // The confirmation is served (charged), then its answer and the SDK's two retries are lost.
    fake.fail(/confirm$/, "lost").fail(/confirm$/, "network", 2);
    const key = crypto.randomUUID();
    const first = await pay(order.userId, cardBody(order.id, "pm_card_visa"), key);
    expect(first.status).toBe(201);
    const { payment } = (await first.clone().json()) as { payment: PaymentJson };
    expect(payment).toMatchObject({ status: "processing", failureReason: null });
    expect(fake.charges()).toHaveLength(1);
    expect(await outboxEventsOf(payment.id)).toEqual([]);

    // The customer tries again: the order is held, nothing is charged.
    const retry = await pay(order.userId, cardBody(order.id, "pm_card_visa"));
    expect(retry.status).toBe(409);
    expect(await retry.json()).toMatchObject({ code: "payment_in_progress" });
    const replay = await pay(order.userId, cardBody(order.id, "pm_card_visa"), key);
    expect(await replay.text()).toBe(await first.text());

    // Too early to ask: the request could still be running. Then the cron asks the provider and settles it.
    await cron(0);
    expect((await attemptsOf(order.id))[0]?.status).toBe("processing");
    await cron(SETTLE_AFTER_MS + 1000);
    const [row] = await attemptsOf(order.id);
    expect(row).toMatchObject({ status: "succeeded", providerRef: "pi_fake_1" });
    expect((await ordersStub.calls(order.id)).map((c) => c.paymentId)).toEqual([payment.id]);
    expect((await outboxEventsOf(payment.id)).map((e) => e.type)).toEqual([
      "payment.succeeded",
      "payment.succeeded",
    ]);

    expect((await pay(order.userId, cardBody(order.id, "pm_card_visa"))).status).toBe(409);
    expect(fake.charges()).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path.endsWith("/confirm"))).toHaveLength(3);
  });

  it("a provider answer `processing` keeps the payment processing until the provider settles it", async () => {
    const fake = fakeStripe();
    const order = await seedOrder();
    const response = await pay(order.userId, cardBody(order.id, "pm_card_processing"));
    expect(((await response.json()) as { payment: PaymentJson }).payment.status).toBe("processing");
    await cron(SETTLE_AFTER_MS + 1000);
    expect((await attemptsOf(order.id))[0]?.status).toBe("processing");
    const intent = fake.intents.get("pi_fake_1");
    if (intent) intent.status = "succeeded";
    await cron(SETTLE_AFTER_MS + 1000);
    expect((await attemptsOf(order.id))[0]?.status).toBe("succeeded");
    expect(fake.charges()).toHaveLength(1);
  });

  it("one the provider still cannot settle is cancelled there after a while, failed `abandoned`, the order freed", async () => {
    fakeStripe();
    const order = await seedOrder();
    await pay(order.userId, cardBody(order.id, "pm_card_processing"));
    await cron(STALE_ATTEMPT_MS + 1000);
    expect((await attemptsOf(order.id))[0]).toMatchObject({ status: "failed", failureReason: "abandoned" });
    expect((await pay(order.userId, cardBody(order.id, "pm_card_visa"))).status).toBe(201);
  });

  it("the provider unreachable while settling: nothing changes, the next run asks again", async () => {
    const fake = fakeStripe();
    const order = await seedOrder();
    fake.fail(/confirm$/, "lost").fail(/confirm$/, "network", 2);
    await pay(order.userId, cardBody(order.id, "pm_card_visa"));
    fake.fail(/pi_fake_1$/, "network", 3);
    await cron(SETTLE_AFTER_MS + 1000);
    expect((await attemptsOf(order.id))[0]?.status).toBe("processing");
    await cron(SETTLE_AFTER_MS + 1000);
    expect((await attemptsOf(order.id))[0]?.status).toBe("succeeded");
    expect(fake.charges()).toHaveLength(1);
  });
});
