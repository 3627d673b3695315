import type { Identity } from "@edge-shop/contracts";
import {
  CatalogLimits,
  includeInactive,
  type ProductEnvelope,
  ProductEnvelopeSchema,
  ProductInputSchema,
  type ProductList,
  type ProductListQuery,
  ProductListQuerySchema,
  ProductListSchema,
  type ProductPatch,
  ProductPatchSchema,
  pagination,
} from "@edge-shop/contracts";
import { errors, openApi, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute, z } from "@hono/zod-openapi";
import { cachedJson, xCache } from "../cache/cached-json";
import { cached } from "../cache/catalog-cache";
import { cachedItem } from "../cache/item-cache";
import { listCacheKey } from "../cache/list-key";
import { type Db, database } from "../db/client";
import { type ListResult, listProducts } from "../db/queries/product-list";
import {
  createProduct,
  deactivateProduct,
  findActiveProduct,
  productVersion,
  updateProduct,
} from "../db/queries/products";
import { toFtsQuery } from "../search/fts-query";
import { bookmarkHeader, bookmarkRequestHeader, withCatalogSessions, writeProduct } from "./catalog-sessions";
import { etagHeader, IfMatchHeaderSchema, parseIfMatch, preconditionFailed } from "./preconditions";

const { access, json, jsonBody, problem } = openApi;

/** The problem+json responses the product routes document. */
const problems = {
  400: problem("Invalid request: `errors[]` lists each field"),
  401: problem("No authenticated caller"),
  403: problem("The caller is not an admin"),
  404: problem("No such (active) product"),
  412: {
    ...problem(
      "`If-Match` is not the product's current ETag: it changed since it was read; nothing was written",
    ),
    headers: etagHeader,
  },
};

// A write's answer: its ETag and the catalog database's bookmark.
const writtenHeaders = etagHeader.extend(bookmarkHeader.shape);

const IdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});

const tags = ["Products"];

const listRoute = createRoute({
  method: "get",
  path: "/api/products",
  tags,
  summary: "List active products: filters, search (FTS5, ranked by bm25), sorting and pages",
  description:
    "An admin may add `includeInactive=true` to list deactivated products too (never cached). At any catalog size " +
    `a request reads a bounded part of it: \`page\` reaches the first ${CatalogLimits.window} results of a list, ` +
    `a search considers the ${CatalogLimits.searchScope} newest products matching its words (by relevance, the ` +
    `first ${CatalogLimits.ranked} that pass the filters are ranked); \`pages\` counts the pages \`page\` reaches ` +
    "and `nextCursor` (passed back as `cursor`) goes on past them. A page past `pages` is empty. " +
    "A cached page shows " +
    "each product's `stock` as it was when the page was cached, refreshed whenever a product sells out or comes " +
    "back in stock (a sold-out product always shows 0) and on every other catalog change; " +
    "`GET /api/products/{id}` shows the exact figure.",
  request: { query: ProductListQuerySchema, headers: bookmarkRequestHeader },
  responses: {
    200: { ...json(ProductListSchema, "One page of products"), headers: xCache.extend(bookmarkHeader.shape) },
    400: problems[400],
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/api/products/{id}",
  tags,
  summary: "One active product",
  description: "An admin may add `includeInactive=true` to read a deactivated product too (never cached).",
  request: {
    params: IdParams,
    query: z.object({ includeInactive: includeInactive() }),
    headers: bookmarkRequestHeader,
  },
  responses: {
    200: {
      ...json(ProductEnvelopeSchema, "The product"),
      headers: xCache.extend(etagHeader.shape).extend(bookmarkHeader.shape),
    },
    400: problems[400],
    404: problems[404],
  },
});

const createProductRoute = createRoute({
  method: "post",
  path: "/api/products",
  tags,
  summary: "Create a product (admin)",
  ...access("admin"),
  request: { body: jsonBody(ProductInputSchema) },
  responses: {
    201: { ...json(ProductEnvelopeSchema, "Created"), headers: writtenHeaders },
    400: problems[400],
    401: problems[401],
    403: problems[403],
  },
});

const replaceRoute = createRoute({
  method: "put",
  path: "/api/products/{id}",
  tags,
  summary: "Replace a product (admin); omitted optional fields take their defaults",
  description:
    "`stock` replaces the figure as it is when the write commits. Send `If-Match` with the ETag last read so " +
    "that a reservation (an order) or another admin's change since then is never overwritten: 412 instead.",
  ...access("admin"),
  request: { params: IdParams, headers: IfMatchHeaderSchema, body: jsonBody(ProductInputSchema) },
  responses: {
    200: { ...json(ProductEnvelopeSchema, "Replaced"), headers: writtenHeaders },
    400: problems[400],
    401: problems[401],
    403: problems[403],
    404: problems[404],
    412: problems[412],
  },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/api/products/{id}",
  tags,
  summary: "Change some fields of a product (admin); `isActive: true` restores a deleted one",
  description:
    "`stock` replaces the figure as it is when the write commits. Send `If-Match` with the ETag last read so " +
    "that a reservation (an order) or another admin's change since then is never overwritten: 412 instead.",
  ...access("admin"),
  request: { params: IdParams, headers: IfMatchHeaderSchema, body: jsonBody(ProductPatchSchema) },
  responses: {
    200: { ...json(ProductEnvelopeSchema, "Updated"), headers: writtenHeaders },
    400: problems[400],
    401: problems[401],
    403: problems[403],
    404: problems[404],
    412: problems[412],
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/api/products/{id}",
  tags,
  summary: "Soft-delete a product (admin): it is no longer listed or sold",
  ...access("admin"),
  request: { params: IdParams },
  responses: {
    204: { description: "Deactivated", headers: bookmarkHeader },
    400: problems[400],
    401: problems[401],
    403: problems[403],
    404: problems[404],
  },
});

/** A list's response: the page, and `pagination` with the pages that page numbers reach and the next cursor. */
function listBody(query: ProductListQuery, page: ListResult): ProductList {
  return {
    products: page.products,
    pagination: {
      ...pagination(query, page.total),
      pages: Math.ceil(page.reachable / query.limit),
      totalIsEstimate: page.totalIsEstimate,
      nextCursor: page.nextCursor,
    },
  };
}

// `includeInactive=true` counts for admins only (ignored for anyone else); their reads skip the cache.
const withInactive = (c: { var: { identity: Identity | undefined } }, asked: boolean) =>
  asked && c.var.identity?.role === "admin";

/**
 * PUT and PATCH: the fields given, written only while the product's version is one `If-Match` names (when sent).
 * A write that matched nothing is a 404 when the product does not exist, else a 412 with its current ETag.
 */
async function guardedUpdate(db: Db, id: string, input: ProductPatch, ifMatch: string | undefined) {
  const precondition = parseIfMatch(ifMatch);
  if (precondition && "any" in precondition) {
    if ((await productVersion(db, id)) === undefined) throw errors.notFound("Product");
  }
  const versions = precondition && "versions" in precondition ? precondition.versions : undefined;
  const write = await updateProduct(db, id, input, new Date(), versions);
  if (!write.product && versions) {
    const current = await productVersion(db, id);
    if (current !== undefined) throw preconditionFailed(current);
  }
  return write;
}

/** The product routes: public reads through the KV cache, admin writes that invalidate it. */
export function productRoutes(app: ServiceApp<Env>): void {
  app.openapi(listRoute, async (c) => {
    const query = { ...c.req.valid("query") };
    query.includeInactive = withInactive(c, query.includeInactive);
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
      throw errors.validation([{ path: "maxPrice", message: "Must not be less than minPrice" }]);
    }
    const fts = toFtsQuery(query.search);
    if (query.includeInactive) {
      const page = await withCatalogSessions(c, (sessions) =>
        listProducts(database(sessions.reads()), query, fts),
      );
      return cachedJson<ProductList>(c, { body: JSON.stringify(listBody(query, page)), status: "MISS" });
    }
    const listKey = await listCacheKey(query, fts);
    const body = await withCatalogSessions(c, (sessions) =>
      cached<ProductList>(c.env, c.executionCtx, sessions, listKey, async (db) => {
        const page = await listProducts(db, query, fts);
        return { body: listBody(query, page), listVersion: page.listVersion };
      }),
    );
    return cachedJson<ProductList>(c, body);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (withInactive(c, c.req.valid("query").includeInactive)) {
      const found = await withCatalogSessions(c, (sessions) =>
        findActiveProduct(database(sessions.reads()), id, { includeInactive: true }),
      );
      if (!found) throw errors.notFound("Product");
      const body = JSON.stringify({ product: found.product });
      return cachedJson<ProductEnvelope>(c, { body, status: "MISS", version: found.version });
    }
    // Tagged with the product's own version, read with its row: only a change of THIS product retires the page.
    const body = await withCatalogSessions(c, (sessions) =>
      cachedItem<ProductEnvelope>(c.env, c.executionCtx, sessions, id, async (db) => {
        const found = await findActiveProduct(db, id);
        return found && { body: { product: found.product }, version: found.version };
      }),
    );
    if (!body) throw errors.notFound("Product");
    return cachedJson<ProductEnvelope>(c, body);
  });

  app.openapi(createProductRoute, async (c) => {
    const { product, etag } = await writeProduct(c, (db) =>
      createProduct(db, c.req.valid("json"), new Date()),
    );
    return c.json({ product }, 201, { etag });
  });

  app.openapi(replaceRoute, async (c) => {
    const { id } = c.req.valid("param");
    const ifMatch = c.req.valid("header")["if-match"];
    const { product, etag } = await writeProduct(c, (db) =>
      guardedUpdate(db, id, c.req.valid("json"), ifMatch),
    );
    return c.json({ product }, 200, { etag });
  });

  app.openapi(patchRoute, async (c) => {
    const { id } = c.req.valid("param");
    const ifMatch = c.req.valid("header")["if-match"];
    const { product, etag } = await writeProduct(c, (db) =>
      guardedUpdate(db, id, c.req.valid("json"), ifMatch),
    );
    return c.json({ product }, 200, { etag });
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    await writeProduct(c, (db) => deactivateProduct(db, id, new Date()));
    return c.body(null, 204);
  });
}
