import { AppError, errors, openApi, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute, z } from "@hono/zod-openapi";
import { database } from "../db/client";
import { findPayment } from "../db/queries/payments";
import type { PaymentRow } from "../db/schema";
import { returnPath } from "../domain/pay";
import { SIMULATOR_AUTH_PATH } from "../provider/simulator";
import { authenticationWebhook } from "../provider/simulator-webhook";

const { problem } = openApi;

// Same-origin style sheet and forms only: nothing else may load or run on this page.
const CSP =
  "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const Params = z.object({ paymentId: z.string().min(1).max(100) });
const OutcomeParams = Params.extend({ outcome: z.enum(["complete", "fail"]) });

const page = createRoute({
  method: "get",
  path: `${SIMULATOR_AUTH_PATH}/{paymentId}`,
  tags: ["Payments"],
  summary: "The simulator's card authentication page (3-D Secure)",
  description:
    "Where `nextAction.url` leads while a simulator payment `requires_action` (`tok_threeDSecure2Required`). " +
    "Public, like a provider's page: whoever holds the link authenticates. Its first form (a POST) completes " +
    "the authentication, its second fails it. Only while `PAYMENT_PROVIDER` is `simulator` (404 otherwise).",
  request: { params: Params },
  responses: {
    200: { description: "The page", content: { "text/html": { schema: z.string() } } },
    400: problem("Malformed payment id"),
    404: problem("No simulator payment of that id is waiting for its authentication"),
  },
});

const decide = createRoute({
  method: "post",
  path: `${SIMULATOR_AUTH_PATH}/{paymentId}/{outcome}`,
  tags: ["Payments"],
  summary: "Complete or fail a simulated card authentication",
  description:
    "What the page's forms post (no body needed). `complete` sends the signed `payment_intent.succeeded` " +
    "webhook, `fail` a signed `payment_intent.payment_failed` (`authentication_failed`), to " +
    "`POST /api/payments/webhook`, as the provider would; then the browser is sent back to the order " +
    "(`/#/orders/<orderId>?payment=<paymentId>`). An authentication already over sends nothing and redirects " +
    "the same way.",
  request: { params: OutcomeParams },
  responses: {
    303: {
      description: "Back to the order in the storefront",
      headers: {
        Location: { description: "`/#/orders/<orderId>?payment=<paymentId>`", schema: { type: "string" } },
      },
    },
    400: problem("Malformed payment id or outcome"),
    404: problem("No simulator payment of that id"),
    502: problem("The webhook was not accepted (`webhook_not_delivered`); press again"),
  },
});

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function money(amount: number, currency: string): string {
  const format = new Intl.NumberFormat("en", { style: "currency", currency });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

function pageOf(payment: PaymentRow): string {
  const amount = money(payment.amount, payment.currency);
  const action = (outcome: string) =>
    escapeHtml(`${SIMULATOR_AUTH_PATH}/${encodeURIComponent(payment.id)}/${outcome}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authenticate your card (payment simulator)</title>
<link rel="stylesheet" href="/styles.css">
</head>
<body>
<main class="stack narrow">
<h1>Authenticate your card</h1>
<p>Payment simulator, 3-D Secure: confirm the payment of <strong>${escapeHtml(amount)}</strong> for order <code>${escapeHtml(payment.orderId)}</code>.</p>
<form method="post" action="${action("complete")}"><button type="submit" class="button">Complete authentication</button></form>
<form method="post" action="${action("fail")}"><button type="submit" class="button button-secondary">Fail authentication</button></form>
<p class="muted">Your bank would show this page. Either button sends the provider's signed webhook, then takes you back to the order.</p>
</main>
</body>
</html>
`;
}

/** A simulator payment (while the simulator is the provider), or 404. */
async function simulated(env: Env, paymentId: string): Promise<PaymentRow> {
  const payment =
    (env.PAYMENT_PROVIDER || "simulator") === "simulator"
      ? await findPayment(database(env.DB), paymentId)
      : undefined;
  if (payment?.provider !== "simulator") throw errors.notFound("Payment");
  return payment;
}

/** The simulator's authentication page and its two forms (public: see the gateway's route table). */
export function simulatorRoutes(app: ServiceApp<Env>): void {
  app.openapi(page, async (c) => {
    const payment = await simulated(c.env, c.req.valid("param").paymentId);
    if (payment.status !== "requires_action") {
      throw new AppError(404, "not_found", "No authentication is waiting for this payment");
    }
    return c.html(pageOf(payment), 200, { "content-security-policy": CSP, "cache-control": "no-store" });
  });

  app.openapi(decide, async (c) => {
    const { paymentId, outcome } = c.req.valid("param");
    const payment = await simulated(c.env, paymentId);
    const secret = c.env.PAYMENT_WEBHOOK_SECRET;
    if (payment.status === "requires_action") {
      if (!secret) throw new AppError(503, "webhook_not_configured", "PAYMENT_WEBHOOK_SECRET is not set");
      const { payload, signature } = await authenticationWebhook(payment, outcome, secret);
      // Through the webhook route itself, so the signature is verified exactly as a provider's would be.
      const delivered = await app.fetch(
        new Request(new URL("/api/payments/webhook", c.req.url), {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "stripe-signature": signature,
            "x-request-id": c.get("requestId"),
          },
          body: payload,
        }),
        c.env,
      );
      if (!delivered.ok) {
        throw new AppError(502, "webhook_not_delivered", `The webhook was answered ${delivered.status}`);
      }
    }
    return c.redirect(returnPath(payment), 303);
  });
}
