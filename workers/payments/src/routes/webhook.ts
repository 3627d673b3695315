import { AppError, openApi, type ServiceApp, type ServiceEnv } from "@edge-shop/worker-kit";
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { database } from "../db/client";
import { HANDLED_WEBHOOK_TYPES, handleWebhook, WebhookEventSchema } from "../domain/webhook";
import { SIGNATURE_HEADER, verifyWebhookSignature } from "../domain/webhook-signature";

const { json, jsonBody, problem } = openApi;

/** Verifies the signature over the raw bytes before anything parses the body. */
function verifiedSignature(): MiddlewareHandler<ServiceEnv<Env>> {
  return async function verifiedSignatureMiddleware(c, next) {
    const secret = c.env.PAYMENT_WEBHOOK_SECRET;
    if (!secret) throw new AppError(503, "webhook_not_configured", "PAYMENT_WEBHOOK_SECRET is not set");
    // Hono caches the text, so the JSON validator after this reads the same bytes.
    await verifyWebhookSignature(secret, c.req.header(SIGNATURE_HEADER), await c.req.text());
    await next();
  };
}

const webhook = createRoute({
  method: "post",
  path: "/api/payments/webhook",
  tags: ["Payments"],
  summary: "Events from the payment provider (signed)",
  description:
    "Stripe's webhook format: header `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of " +
    '"<t>.<raw body>" with the endpoint\'s signing secret>` (several `v1` while a secret rolls), verified ' +
    "with Stripe's SDK; signatures older than 5 minutes are refused. (The former `Payment-Signature` header is " +
    "no longer accepted.) Each event id is applied once; a redelivery answers 200 again. Types that change a " +
    `payment: ${HANDLED_WEBHOOK_TYPES.join(", ")} (\`charge.refunded\` with \`amount_refunded\` below the ` +
    "charge is a partial refund); others are acknowledged and ignored.",
  middleware: [verifiedSignature()] as const,
  request: {
    headers: z.object({
      "stripe-signature": z.string().openapi({ description: "t=<unix seconds>,v1=<hex HMAC-SHA256>" }),
    }),
    body: jsonBody(WebhookEventSchema),
  },
  responses: {
    200: json(z.object({ received: z.literal(true) }), "Received (also for a duplicate)"),
    400: problem("Not a well-formed event"),
    401: problem("Missing, malformed, stale (`stale_signature`) or wrong (`invalid_signature`) signature"),
    409: problem("The payment kept changing while the event was applied; the provider retries later"),
    503: problem("The webhook secret is not configured (`webhook_not_configured`)"),
  },
});

/** POST /api/payments/webhook (public: authenticated by its signature, not by the gateway). */
export function webhookRoutes(app: ServiceApp<Env>): void {
  app.openapi(webhook, async (c) => {
    await handleWebhook(c.env, database(c.env.DB), c.req.valid("json"));
    return c.json({ received: true as const }, 200);
  });
}
