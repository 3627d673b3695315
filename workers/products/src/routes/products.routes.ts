import {
  ProductEnvelopeSchema,
  ProductInputSchema,
  ProductListQuerySchema,
  ProductListSchema,
  ProductPatchSchema,
} from "@edge-shop/contracts";
import { createRoute, z } from "@hono/zod-openapi";
import { adminOnly } from "./admin-only";
import { problems, xCache } from "./problems";

const IdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});

const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const admin = { security: [{ bearerAuth: [] }], middleware: [adminOnly()] };
const tags = ["Products"];

export const listRoute = createRoute({
  method: "get",
  path: "/api/products",
  tags,
  summary: "List active products: filters, search (FTS5, ranked by bm25), sorting and pages",
  request: { query: ProductListQuerySchema },
  responses: {
    200: { description: "One page of products", headers: xCache, content: json(ProductListSchema) },
    400: problems[400],
  },
});

export const getRoute = createRoute({
  method: "get",
  path: "/api/products/{id}",
  tags,
  summary: "One active product",
  request: { params: IdParams },
  responses: {
    200: { description: "The product", headers: xCache, content: json(ProductEnvelopeSchema) },
    400: problems[400],
    404: problems[404],
  },
});

export const createProductRoute = createRoute({
  method: "post",
  path: "/api/products",
  tags,
  summary: "Create a product (admin)",
  ...admin,
  request: { body: { required: true, content: json(ProductInputSchema) } },
  responses: {
    201: { description: "Created", content: json(ProductEnvelopeSchema) },
    400: problems[400],
    401: problems[401],
    403: problems[403],
  },
});

export const replaceRoute = createRoute({
  method: "put",
  path: "/api/products/{id}",
  tags,
  summary: "Replace a product (admin); omitted optional fields take their defaults",
  ...admin,
  request: { params: IdParams, body: { required: true, content: json(ProductInputSchema) } },
  responses: {
    200: { description: "Replaced", content: json(ProductEnvelopeSchema) },
    400: problems[400],
    401: problems[401],
    403: problems[403],
    404: problems[404],
  },
});

export const patchRoute = createRoute({
  method: "patch",
  path: "/api/products/{id}",
  tags,
  summary: "Change some fields of a product (admin); `isActive: true` restores a deleted one",
  ...admin,
  request: { params: IdParams, body: { required: true, content: json(ProductPatchSchema) } },
  responses: {
    200: { description: "Updated", content: json(ProductEnvelopeSchema) },
    400: problems[400],
    401: problems[401],
    403: problems[403],
    404: problems[404],
  },
});

export const deleteRoute = createRoute({
  method: "delete",
  path: "/api/products/{id}",
  tags,
  summary: "Soft-delete a product (admin): it is no longer listed or sold",
  ...admin,
  request: { params: IdParams },
  responses: {
    204: { description: "Deactivated" },
    400: problems[400],
    401: problems[401],
    403: problems[403],
    404: problems[404],
  },
});
