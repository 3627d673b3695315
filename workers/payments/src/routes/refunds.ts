import { OrderSchema } from "@edge-shop/contracts";
import {
  errors,
  IdempotencyKeyHeaderSchema,
  idempotency,
  openApi,
  requireAdmin,
  type ServiceApp,
  type ServiceEnv,
} from "@edge-shop/worker-kit";
import { createRoute, z } from "@hono/zod-openapi";
import { database } from "../db/client";
import { refundsOfOrder } from "../db/queries/refunds";
import type { RefundRow } from "../db/schema";
import { type RefundLine, refundOrder } from "../domain/refund-request";

const { access, json, jsonBody, problem } = openApi;

const Line = z.object({
  productId: z.string().min(1).max(100),
  quantity: z.number().int().min(1).max(100),
});

const CreateRefundSchema = z
  .object({
    amount: z.number().int().min(1).optional().openapi({
      description:
        "Minor units to refund (a goodwill amount); without `amount` and `items`, all that is left",
    }),
    items: z
      .array(Line)
      .min(1)
      .max(50)
      .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, {
        message: "Each product may appear only once",
      })
      .optional()
      .openapi({
        description: "Returned lines: each refunds its share of what was charged (price, discount, tax)",
      }),
    restock: z
      .boolean()
      .default(false)
      .openapi({ description: "Put the returned lines' units back in stock" }),
    reason: z.string().trim().min(1).max(500),
  })
  .refine((body) => body.amount === undefined || body.items === undefined, {
    message: "Give an amount or returned items, not both",
    path: ["amount"],
  })
  .refine((body) => !body.restock || body.items !== undefined, {
    message: "Restock needs the returned items",
    path: ["restock"],
  })
  .openapi("CreateRefund");

const RefundSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    paymentId: z.string(),
    amount: z.number().int().openapi({ description: "Minor units refunded by this refund" }),
    currency: z.string().length(3),
    items: z.array(Line.extend({ amount: z.number().int() })).openapi({
      description: "The returned lines and the part of the amount each makes (empty for an amount)",
    }),
    restock: z.boolean(),
    reason: z.string(),
    status: z.enum(["succeeded"]),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Refund");

const createRefund = createRoute({
  method: "post",
  path: "/api/orders/{id}/refunds",
  tags: ["Orders"],
  summary: "Refund part or all of a paid order (admin)",
  description:
    "Refunds an `amount`, or returned `items` (each line's share of what was charged, in minor units with the " +
    "remainder on the last unit, so the returns of a whole order add up to its total), or without either all " +
    "that is left. Never more than what is left of the payment's capture, however many refunds run at once. " +
    "`restock` puts the returned units back in stock. The order's `refundedTotal` rises; it becomes " +
    "`refunded` once everything paid is refunded. A retry with the same Idempotency-Key is the same refund.",
  ...access("admin", idempotency<ServiceEnv<Env>>({ db: (c) => database(c.env.DB) })),
  request: {
    params: z.object({ id: z.string().min(1).max(100) }),
    headers: IdempotencyKeyHeaderSchema,
    body: jsonBody(CreateRefundSchema),
  },
  responses: {
    201: json(z.object({ refund: RefundSchema, order: OrderSchema }), "The refund and the order after it"),
    400: problem("Invalid body, or a missing or malformed Idempotency-Key"),
    401: problem("Not signed in"),
    403: problem("Not an admin"),
    404: problem("No such order"),
    409: problem(
      "`order_not_refundable` (not paid), `refund_exceeds_remaining` (more than is left, in money or units), " +
        "`refund_in_progress` or `idempotency_key_in_flight`",
    ),
    422: problem(
      "`unknown_line` (a product not in the order), or the Idempotency-Key was used with another request",
    ),
    502: problem("`refund_failed`: the provider did not refund; nothing was refunded"),
  },
});

const listRefunds = createRoute({
  method: "get",
  path: "/api/orders/{id}/refunds",
  tags: ["Orders"],
  summary: "The refunds of an order (admin)",
  description: "Every refund made through `POST /api/orders/:id/refunds` that succeeded, oldest first.",
  ...access("admin"),
  request: { params: z.object({ id: z.string().min(1).max(100) }) },
  responses: {
    200: json(z.object({ refunds: z.array(RefundSchema) }), "The order's refunds"),
    400: problem("Malformed order id"),
    401: problem("Not signed in"),
    403: problem("Not an admin"),
    404: problem("No such order"),
  },
});

const toRefund = (row: RefundRow, lines: Pick<RefundLine, "productId" | "quantity" | "amount">[]) => ({
  id: row.id,
  orderId: row.orderId,
  paymentId: row.paymentId,
  amount: row.amount,
  currency: row.currency,
  items: lines.map(({ productId, quantity, amount }) => ({ productId, quantity, amount })),
  restock: row.restock,
  reason: row.reason,
  status: "succeeded" as const,
  createdAt: new Date(row.createdAt).toISOString(),
});

async function refundIdOf(userId: string, key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${userId}\n${key}`));
  return `rf_${[...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** POST /api/orders/:id/refunds (routed here by the gateway: payments owns what was captured). */
export function refundRoutes(app: ServiceApp<Env>): void {
  app.openapi(createRefund, async (c) => {
    const identity = requireAdmin(c);
    const body = c.req.valid("json");
    const { refund, order } = await refundOrder(c.env, database(c.env.DB), {
      identity,
      orderId: c.req.valid("param").id,
      refundId: await refundIdOf(identity.userId, c.req.valid("header")["idempotency-key"]),
      ...(body.amount !== undefined ? { amount: body.amount } : {}),
      ...(body.items ? { items: body.items } : {}),
      restock: body.restock,
      reason: body.reason,
      requestId: c.get("requestId"),
    });
    return c.json({ refund: toRefund(refund, refund.lines), order }, 201);
  });

  app.openapi(listRefunds, async (c) => {
    const identity = requireAdmin(c);
    const order = await c.env.ORDERS.getOrder(c.req.valid("param").id, identity, c.get("requestId"));
    if (!order) throw errors.notFound("Order");
    const rows = await refundsOfOrder(database(c.env.DB), order.id);
    const refunds = rows.filter((row) => row.status === "succeeded").map((row) => toRefund(row, row.lines));
    return c.json({ refunds }, 200);
  });
}
