import { PageQuerySchema, PaginationSchema, pagination } from "@edge-shop/contracts";
import { openApi, requireAdmin, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute, z } from "@hono/zod-openapi";
import { database } from "../db/client";
import { changePromotion, createPromotion, promotionPage } from "../domain/promotion-admin";

const { access, json, jsonBody, problem } = openApi;

const tags = ["Admin"];
const limit = z.number().int().min(1).max(1_000_000);

const PromotionSchema = z
  .object({
    code: z.string().openapi({ description: "Upper case; codes are case-insensitive" }),
    type: z.enum(["percentage", "fixed"]),
    value: z.number().int().openapi({ description: "Whole percent, or minor units of `currency`" }),
    currency: z.string().length(3).nullable(),
    minSubtotal: z.number().int().min(0),
    startsAt: z.string().nullable().openapi({ format: "date-time" }),
    endsAt: z.string().nullable().openapi({ format: "date-time" }),
    usageLimit: z.number().int().nullable(),
    perCustomerLimit: z.number().int().nullable(),
    active: z.boolean(),
    timesUsed: z.number().int().min(0).openapi({
      description: "Orders that hold the code now (a cancelled or expired order gave its use back)",
    }),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Promotion");

const terms = {
  type: z.enum(["percentage", "fixed"]),
  value: z.number().int().min(1).max(1_000_000_000).openapi({
    description: "`percentage`: whole percent (10 = 10 %, at most 100); `fixed`: minor units of `currency`",
  }),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .nullable()
    .optional()
    .openapi({ description: "Required for `fixed`; when set, the code applies to orders in it only" }),
  minSubtotal: z.number().int().min(0).max(1_000_000_000).optional(),
  startsAt: z.string().datetime({ offset: true }).nullable().optional(),
  endsAt: z.string().datetime({ offset: true }).nullable().optional(),
  usageLimit: limit.nullable().optional().openapi({ description: "Orders in all that may hold the code" }),
  perCustomerLimit: limit.nullable().optional().openapi({ description: "Orders per customer" }),
  active: z.boolean().optional().openapi({ description: "Default true" }),
};

const CreateSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,50}$/, "1 to 50 letters, digits, _ or -"),
    ...terms,
  })
  .openapi("CreatePromotion", { example: { code: "SAVE10", type: "percentage", value: 10, active: true } });
const UpdateSchema = z
  .object({ ...terms, type: terms.type.optional(), value: terms.value.optional() })
  .openapi("UpdatePromotion");
const PromotionResponseSchema = z.object({ promotion: PromotionSchema }).openapi("PromotionResponse");
const CodeParamSchema = z.object({
  code: z
    .string()
    .min(1)
    .max(50)
    .openapi({ param: { name: "code", in: "path" } }),
});

const createPromotionRoute = createRoute({
  method: "post",
  path: "/api/admin/promotions",
  tags,
  summary: "Create a promotion code (admin)",
  ...access("admin"),
  request: { body: jsonBody(CreateSchema) },
  responses: {
    201: json(PromotionResponseSchema, "The promotion"),
    400: problem("Invalid body (errors[]): e.g. a percentage over 100, `fixed` without `currency`"),
    401: problem("Authentication required"),
    403: problem("Admin role required"),
    409: problem("The code exists already, in any case (`promotion_exists`)"),
  },
});

const listPromotionsRoute = createRoute({
  method: "get",
  path: "/api/admin/promotions",
  tags,
  summary: "Every promotion code, newest first (admin)",
  ...access("admin"),
  request: { query: PageQuerySchema },
  responses: {
    200: json(
      z
        .object({ promotions: z.array(PromotionSchema), pagination: PaginationSchema })
        .openapi("PromotionList"),
      "A page of promotions",
    ),
    400: problem("Invalid query"),
    401: problem("Authentication required"),
    403: problem("Admin role required"),
  },
});

const updatePromotionRoute = createRoute({
  method: "patch",
  path: "/api/admin/promotions/{code}",
  tags,
  summary: "Change a promotion code's terms (admin)",
  description:
    "Only the given fields change; `null` clears an optional term. Orders placed after the change get the new " +
    "terms; uses already made stay counted.",
  ...access("admin"),
  request: { params: CodeParamSchema, body: jsonBody(UpdateSchema) },
  responses: {
    200: json(PromotionResponseSchema, "The promotion"),
    400: problem("Invalid body (errors[])"),
    401: problem("Authentication required"),
    403: problem("Admin role required"),
    404: problem("No such promotion code"),
  },
});

/** /api/admin/promotions (admins). */
export function adminPromotionRoutes(app: ServiceApp<Env>): void {
  app.openapi(createPromotionRoute, async (c) => {
    requireAdmin(c);
    const { code, ...rest } = c.req.valid("json");
    return c.json({ promotion: await createPromotion(database(c.env.DB), code, rest) }, 201);
  });

  app.openapi(listPromotionsRoute, async (c) => {
    requireAdmin(c);
    const query = c.req.valid("query");
    const page = await promotionPage(database(c.env.DB), query.page, query.limit);
    return c.json({ promotions: page.promotions, pagination: pagination(query, page.total) }, 200);
  });

  app.openapi(updatePromotionRoute, async (c) => {
    requireAdmin(c);
    const promotion = await changePromotion(
      database(c.env.DB),
      c.req.valid("param").code,
      c.req.valid("json"),
    );
    return c.json({ promotion }, 200);
  });
}
