import { openApi, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute, z } from "@hono/zod-openapi";
import { shippingOptions } from "../domain/shipping";

const { json, problem } = openApi;

const ShippingOptionSchema = z
  .object({
    id: z.string().openapi({ example: "standard" }),
    name: z.string(),
    amount: z.number().int().min(0).openapi({ description: "Minor units of `currency`; 0 when free" }),
    currency: z.string().length(3),
    estimatedDays: z.number().int().min(1).openapi({ description: "Business days to deliver, at most" }),
  })
  .openapi("ShippingOption");

const QuerySchema = z.object({
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .optional()
    .openapi({ description: "ISO 3166-1 alpha-2; without it, the options for an address naming no country" }),
  subtotal: z.coerce.number().int().min(0).max(1_000_000_000).openapi({ description: "Minor units" }),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .openapi({ example: "USD" }),
});

const listRoute = createRoute({
  method: "get",
  path: "/api/shipping-options",
  tags: ["Checkout"],
  summary: "The shipping options for a destination country and subtotal",
  description:
    "What `POST /api/orders` accepts as `shippingOptionId` for an address in `country`, priced for `subtotal`: " +
    "`standard` ships everywhere and is free from 5000 minor units; `express` ships to some countries only " +
    "(not to NO, nor to an address without a country).",
  request: { query: QuerySchema },
  responses: {
    200: json(
      z.object({ shippingOptions: z.array(ShippingOptionSchema) }).openapi("ShippingOptionList"),
      "The options, cheapest first",
    ),
    400: problem("Invalid query (errors[])"),
  },
});

/** GET /api/shipping-options (anyone). */
export function shippingOptionRoutes(app: ServiceApp<Env>): void {
  app.openapi(listRoute, (c) => {
    const { country, subtotal, currency } = c.req.valid("query");
    const options = shippingOptions(country?.toUpperCase() ?? null, subtotal, currency.toUpperCase());
    return c.json({ shippingOptions: options }, 200);
  });
}
