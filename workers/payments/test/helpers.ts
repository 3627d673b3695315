import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { OrderView } from "@edge-shop/contracts";
import { outbox } from "@edge-shop/worker-kit";
import { eq } from "drizzle-orm";
import { forwardedAs } from "../../../packages/worker-kit/testing/signed-caller";
import { signWebhook } from "../../../packages/worker-kit/testing/webhook-signature";
import { database } from "../src/db/client";
import { type PaymentRow, payments } from "../src/db/schema";
import worker from "../src/index";

export interface StubOrder extends OrderView {
  /** markPaid finds the order cancelled (it expired while the charge ran). */
  cancelOnMarkPaid?: boolean;
  failMarkPaid?: boolean;
  /** The payment that paid it, as orders records it. */
  paymentId?: string;
}

/** The test-only side of test/orders-stub.js. */
interface OrdersStub {
  put(order: StubOrder): Promise<void>;
  calls(orderId: string): Promise<{ orderId: string; paymentId: string; correlationId: string }[]>;
}
export const ordersStub = env.ORDERS as unknown as OrdersStub;

export const db = () => database(env.DB);

/** A pending order of a fresh user, known to the orders stub. */
export async function seedOrder(overrides: Partial<StubOrder> = {}): Promise<StubOrder> {
  const order: StubOrder = {
    id: `ord-${crypto.randomUUID()}`,
    userId: `user-${crypto.randomUUID()}`,
    status: "pending",
    items: [{ productId: "p-1", name: "Mug", unitPrice: 1250, quantity: 2, lineTotal: 2500 }],
    total: 2500,
    currency: "USD",
    refundedTotal: 0,
    ...overrides,
  };
  await ordersStub.put(order);
  return order;
}

/** The headers the gateway forwards for a caller (signed for one request: build them per request). */
export function userHeaders(
  userId: string,
  role: "user" | "admin" = "user",
  extra: Record<string, string> = {},
): Promise<Headers> {
  return forwardedAs({ userId, role }, extra);
}

/** POST /api/payments as the given user, with a fresh Idempotency-Key unless one is given. */
export async function postPayment(
  userId: string,
  body: unknown,
  options: { key?: string | null; role?: "user" | "admin" } = {},
): Promise<Response> {
  const headers = await userHeaders(userId, options.role, { "content-type": "application/json" });
  if (options.key !== null) headers.set("idempotency-key", options.key ?? crypto.randomUUID());
  return exports.default.fetch("http://payments/api/payments", {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export const cardBody = (orderId: string, token: string) => ({ orderId, method: { type: "card", token } });

export interface PaymentJson {
  id: string;
  orderId: string;
  status: string;
  amount: number;
  currency: string;
  failureReason: string | null;
  amountRefunded: number;
  nextAction: { type: "redirect"; url: string } | null;
  createdAt: string;
}

export async function paymentOf(response: Response): Promise<PaymentJson> {
  return ((await response.json()) as { payment: PaymentJson }).payment;
}

/** The stored attempts of an order. */
export function attemptsOf(orderId: string) {
  return db().select().from(payments).where(eq(payments.orderId, orderId));
}

/** The events written to the outbox about a payment, with their destinations. */
export async function outboxEventsOf(paymentId: string) {
  const rows = await db().select().from(outbox);
  return rows
    .map((row) => ({
      row,
      event: JSON.parse(row.body) as { type: string; correlationId: string; data?: Record<string, unknown> },
    }))
    .filter(({ event }) => event.data?.paymentId === paymentId)
    .map(({ row, event }) => ({ ...event, destination: row.destination, sentAt: row.sentAt }));
}

/** Runs the queue handler on one batch of `payments-queue` messages (first deliveries). */
export async function deliver(bodies: unknown[], bindings: Env = env) {
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
  await worker.queue(batch, bindings, ctx);
  return { batch, result: await getQueueResult(batch, ctx) };
}

/** A payment row as a test needs it, inserted directly (states a request would take time to reach). */
export async function insertPayment(
  order: StubOrder,
  overrides: Partial<PaymentRow> = {},
): Promise<PaymentRow> {
  const now = Date.now();
  const row: PaymentRow = {
    id: crypto.randomUUID(),
    orderId: order.id,
    userId: order.userId,
    status: "processing",
    amount: order.total,
    currency: order.currency,
    failureReason: null,
    provider: "simulator",
    providerRef: null,
    refundRef: null,
    amountRefunded: 0,
    nextActionUrl: null,
    transitionId: null,
    orderConfirmedAt: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  await db().insert(payments).values(row);
  return row;
}

/** The webhook signing secret of the tests (vitest.config.ts). */
export const SECRET = "whsec_test_secret";

/** A provider event in Stripe's shape, as its raw body. */
export const stripeEvent = (
  type: string,
  object: Record<string, unknown>,
  id = `evt_${crypto.randomUUID()}`,
) => JSON.stringify({ id, object: "event", type, created: Math.floor(Date.now() / 1000), data: { object } });

/** POST /api/payments/webhook, signed with the SDK's test signer unless a header (or null: none) is given. */
export async function sendWebhook(body: string, header?: string | null, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...extra };
  const signed = header === undefined ? await signWebhook(body, SECRET) : header;
  if (signed !== null) headers["stripe-signature"] = signed;
  return exports.default.fetch("http://payments/api/payments/webhook", { method: "POST", headers, body });
}
