import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/app";
import { webhookSeen } from "../src/db/queries/payments";
import { runMaintenance } from "../src/domain/maintenance";
import { AUTHENTICATION_TIMEOUT_MS } from "../src/domain/settle-later";
import {
  attemptsOf,
  cardBody,
  db,
  ordersStub,
  outboxEventsOf,
  paymentOf,
  postPayment,
  seedOrder,
} from "./helpers";

const THREE_DS = "tok_threeDSecure2Required";

async function waitingPayment() {
  const order = await seedOrder();
  const response = await postPayment(order.userId, cardBody(order.id, THREE_DS));
  expect(response.status).toBe(201);
  return { order, payment: await paymentOf(response) };
}

const page = (url: string) => exports.default.fetch(url);
const decide = (paymentId: string, outcome: string) =>
  exports.default.fetch(`http://payments/api/payments/simulator/3ds/${paymentId}/${outcome}`, {
    method: "POST",
    redirect: "manual",
  });

describe("3-D Secure with the simulator", () => {
  it("tok_threeDSecure2Required answers requires_action with the simulator's page; the order waits (409)", async () => {
    const { order, payment } = await waitingPayment();
    expect(payment).toMatchObject({
      status: "requires_action",
      failureReason: null,
      amountRefunded: 0,
      nextAction: { type: "redirect", url: `http://payments/api/payments/simulator/3ds/${payment.id}` },
    });
    const again = await postPayment(order.userId, cardBody(order.id, "tok_visa"));
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "payment_in_progress" });
    expect(await outboxEventsOf(payment.id)).toEqual([]);
  });

  it("the page: two POST forms, complete first, under a strict CSP", async () => {
    const { payment } = await waitingPayment();
    const response = await page(payment.nextAction?.url ?? "");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toContain("form-action 'self'");
    const html = await response.text();
    const forms = [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);
    expect(forms).toEqual([
      `/api/payments/simulator/3ds/${payment.id}/complete`,
      `/api/payments/simulator/3ds/${payment.id}/fail`,
    ]);
    expect(html).toContain("$25.00");
  });

  it("completing sends the signed payment_intent.succeeded webhook: succeeded, the order paid, back to the order", async () => {
    const { order, payment } = await waitingPayment();
    const response = await decide(payment.id, "complete");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/#/orders/${order.id}?payment=${payment.id}`);
    expect((await attemptsOf(order.id))[0]).toMatchObject({ status: "succeeded", nextActionUrl: null });
    expect((await ordersStub.calls(order.id)).map((c) => c.paymentId)).toEqual([payment.id]);
    expect(await webhookSeen(db(), `evt_sim_${payment.id}_complete`)).toBe(true);
    // A second press (or the other button) changes nothing and goes back to the order.
    expect((await decide(payment.id, "fail")).status).toBe(303);
    expect((await attemptsOf(order.id))[0]?.status).toBe("succeeded");
    expect((await page(`http://payments/api/payments/simulator/3ds/${payment.id}`)).status).toBe(404);
    const types = (await outboxEventsOf(payment.id)).map((e) => e.type);
    expect(types).toEqual(["payment.succeeded", "payment.succeeded"]);
  });

  it("failing it fails the payment (authentication_failed) and frees the order", async () => {
    const { order, payment } = await waitingPayment();
    expect((await decide(payment.id, "fail")).status).toBe(303);
    expect((await attemptsOf(order.id))[0]).toMatchObject({
      status: "failed",
      failureReason: "authentication_failed",
    });
    expect((await postPayment(order.userId, cardBody(order.id, "tok_visa"))).status).toBe(201);
  });

  it("an authentication abandoned past the timeout fails (authentication_abandoned) and frees the order", async () => {
    const { order, payment } = await waitingPayment();
    await runMaintenance(env, db(), Date.now() + AUTHENTICATION_TIMEOUT_MS / 2);
    expect((await attemptsOf(order.id))[0]?.status).toBe("requires_action");
    await runMaintenance(env, db(), Date.now() + AUTHENTICATION_TIMEOUT_MS + 1000);
    expect((await attemptsOf(order.id))[0]).toMatchObject({
      status: "failed",
      failureReason: "authentication_abandoned",
    });
    expect((await outboxEventsOf(payment.id)).map((e) => e.type)).toContain("payment.failed");
    // Too late on the page: nothing happens.
    expect((await decide(payment.id, "complete")).status).toBe(303);
    expect((await attemptsOf(order.id))[0]?.status).toBe("failed");
    expect((await postPayment(order.userId, cardBody(order.id, "tok_visa"))).status).toBe(201);
  });

  it("404 for unknown payments, and whenever the simulator is not the provider", async () => {
    const { payment } = await waitingPayment();
    expect((await page("http://payments/api/payments/simulator/3ds/nope")).status).toBe(404);
    expect((await decide("nope", "complete")).status).toBe(404);
    expect((await decide(payment.id, "maybe")).status).toBe(400);
    const stripeEnv = { ...env, PAYMENT_PROVIDER: "stripe", PAYMENT_PROVIDER_SECRET: "sk_test" };
    const response = await app.fetch(
      new Request(`http://payments/api/payments/simulator/3ds/${payment.id}`),
      stripeEnv,
    );
    expect(response.status).toBe(404);
  });
});
