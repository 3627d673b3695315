import { CreatePaymentSchema, PaymentSchema } from "@edge-shop/contracts";
import {
  errors,
  IdempotencyKeyHeaderSchema,
  idempotency,
  idempotentResponse,
  openApi,
  requireUser,
  type ServiceApp,
  type ServiceEnv,
} from "@edge-shop/worker-kit";
import { createRoute, z } from "@hono/zod-openapi";
import { database } from "../db/client";
import { listForOrder, toPayment } from "../db/queries/payments";
import type { PaymentRow } from "../db/schema";
import { pay } from "../domain/pay";

const { access, json, jsonBody, problem } = openApi;
const PaymentResponse = z.object({ payment: PaymentSchema });

const createPayment = createRoute({
  method: "post",
  path: "/api/payments",
  tags: ["Payments"],
  summary: "Pay a pending order of yours",
  description:
    "Charges the order's total (never an amount from the client) through the payment provider. A declined " +
    "card is still a recorded attempt: 201 with status `failed` and a `failureReason`; the order stays " +
    "pending and may be paid again with a new Idempotency-Key. `requires_action`: send the customer to " +
    "`nextAction.url` to authenticate the card (3-D Secure); the browser comes back to the order " +
    "(`/#/orders/<id>?payment=<id>`), and the provider's webhook settles the payment. `processing`: the " +
    "provider's outcome is not known yet (it is asked again within minutes, never charged twice); meanwhile " +
    "the order cannot be paid again (409 `payment_in_progress`). An authentication not finished within 10 " +
    "minutes fails (`authentication_abandoned`) and frees the order. Simulator tokens: `tok_visa`, " +
    "`tok_chargeDeclined`, `tok_insufficientFunds`, `tok_processingError`, `tok_threeDSecure2Required`; any " +
    "other token fails with `invalid_token`.",
  ...access("user", idempotency<ServiceEnv<Env>>({ db: (c) => database(c.env.DB) })),
  request: { headers: IdempotencyKeyHeaderSchema, body: jsonBody(CreatePaymentSchema) },
  responses: {
    201: json(PaymentResponse, "The recorded attempt"),
    400: problem("Invalid body, or a missing or malformed Idempotency-Key"),
    401: problem("Not signed in"),
    404: problem("No such order of yours"),
    409: problem(
      "`order_not_payable` (not pending, e.g. already paid), `payment_in_progress` (another payment of " +
        "the order is processing or waiting for its authentication; `Retry-After`) or `idempotency_key_in_flight`",
    ),
    422: problem("The Idempotency-Key was used with a different request"),
  },
});

const listPayments = createRoute({
  method: "get",
  path: "/api/payments",
  tags: ["Payments"],
  summary: "The payment attempts of one of your orders (admin: any order)",
  ...access("user"),
  request: { query: z.object({ orderId: z.string().min(1).max(100) }) },
  responses: {
    200: json(z.object({ payments: z.array(PaymentSchema) }), "Every attempt, oldest first"),
    400: problem("orderId missing"),
    401: problem("Not signed in"),
    404: problem("No such order of yours"),
  },
});

/** POST and GET /api/payments. */
export function paymentRoutes(app: ServiceApp<Env>): void {
  app.openapi(createPayment, async (c) => {
    const identity = requireUser(c);
    const body = c.req.valid("json");
    const db = database(c.env.DB);
    const answerOf = (row: PaymentRow) => ({ payment: toPayment(row) });
    // The 201 is stored as the Idempotency-Key's answer in the batch that settles the attempt (no write after).
    const payment = await pay(c.env, db, {
      identity,
      orderId: body.orderId,
      token: body.method.token,
      requestId: c.get("requestId"),
      origin: new URL(c.req.url).origin,
      answer: (row, when) => idempotentResponse(c, db, 201, answerOf(row), when),
    });
    return c.json(answerOf(payment), 201);
  });

  app.openapi(listPayments, async (c) => {
    const identity = requireUser(c);
    const { orderId } = c.req.valid("query");
    // Ownership is the order's: orders answers null for another user's order (admins see every order).
    const order = await c.env.ORDERS.getOrder(orderId, identity);
    if (!order) throw errors.notFound("Order");
    const rows = await listForOrder(database(c.env.DB), order.id);
    return c.json({ payments: rows.map(toPayment) }, 200);
  });
}
