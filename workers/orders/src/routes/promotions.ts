import { openApi, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute, z } from "@hono/zod-openapi";
import { database } from "../db/client";
import { previewPromotion } from "../domain/promotion-admin";

const { json, problem } = openApi;

const PreviewSchema = z
  .object({
    promotion: z.object({
      code: z.string(),
      type: z.enum(["percentage", "fixed"]),
      value: z.number().int(),
      discount: z.number().int().min(0).openapi({ description: "Minor units off `subtotal`" }),
    }),
  })
  .openapi("PromotionPreview");

const previewRoute = createRoute({
  method: "get",
  path: "/api/promotions/{code}",
  tags: ["Checkout"],
  summary: "Preview a promotion code's discount for a subtotal",
  description:
    "Codes are case-insensitive. The discount is what an order of this subtotal and currency would get now " +
    "(percentage rounded half-up; a fixed amount never more than the subtotal). The per-customer limit is " +
    "checked only with a token (and always when ordering). A refusal is 422 `invalid_promotion` with `reason`: " +
    "`inactive`, `not_started`, `expired`, `currency` (a code for another currency), `min_subtotal`, " +
    "`usage_limit` or `customer_limit`.",
  request: {
    params: z.object({
      code: z
        .string()
        .min(1)
        .max(50)
        .openapi({ param: { name: "code", in: "path" } }),
    }),
    query: z.object({
      subtotal: z.coerce.number().int().min(0).max(1_000_000_000).openapi({ description: "Minor units" }),
      currency: z
        .string()
        .regex(/^[A-Za-z]{3}$/)
        .openapi({ example: "USD" }),
    }),
  },
  responses: {
    200: json(PreviewSchema, "The code applies: its discount on this subtotal"),
    400: problem("Invalid query (errors[])"),
    404: problem("No such promotion code (`not_found`)"),
    422: problem("The code does not apply (`invalid_promotion`, with `reason`)"),
  },
});

/** GET /api/promotions/:code (anyone). */
export function promotionRoutes(app: ServiceApp<Env>): void {
  app.openapi(previewRoute, async (c) => {
    const { subtotal, currency } = c.req.valid("query");
    const promotion = await previewPromotion(database(c.env.DB), c.req.valid("param").code, {
      subtotal,
      currency: currency.toUpperCase(),
      userId: c.var.identity?.userId,
    });
    return c.json({ promotion }, 200);
  });
}
