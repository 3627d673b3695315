import { type ProductEnvelope, type ProductList, pagination } from "@edge-shop/contracts";
import { errors, type WaitUntil } from "@edge-shop/worker-kit";
import type { App } from "../app-env";
import { cached, digest, publishChange } from "../cache/catalog-cache";
import { cachedItem } from "../cache/item-cache";
import { database } from "../db/client";
import { listProducts } from "../db/queries/product-list";
import {
  createProduct,
  deactivateProduct,
  findActiveProduct,
  updateProduct,
  type WriteResult,
} from "../db/queries/products";
import type { Bindings } from "../env";
import { toFtsQuery } from "../search/fts-query";
import { cachedJson } from "./cached-json";
import {
  createProductRoute,
  deleteRoute,
  getRoute,
  listRoute,
  patchRoute,
  replaceRoute,
} from "./products.routes";

const MAX_PLAIN_KEY = 160;

// After a committed write: publish the new catalog and product versions so the next read here misses the old
// lists and the product's old page.
async function afterWrite(env: Bindings, ctx: WaitUntil, write: WriteResult) {
  await publishChange(env, ctx, write);
  if (!write.product) throw errors.notFound("Product");
  return write.product;
}

/** The product routes: public reads through the KV cache, admin writes that invalidate it. */
export function registerProductRoutes(app: App): void {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
      throw errors.validation([{ path: "maxPrice", message: "Must not be less than minPrice" }]);
    }
    const fts = toFtsQuery(query.search);
    // The key is built from the parsed query (defaults applied, search normalised), so equivalent URLs share it.
    const canonical = JSON.stringify([
      query.page,
      query.limit,
      query.category ?? null,
      query.minPrice ?? null,
      query.maxPrice ?? null,
      fts.kind === "match" ? fts.expression : fts.kind,
      query.sortBy ?? null,
      query.sortOrder,
    ]);
    // KV keys hold at most 512 bytes: a short query is its own key (a UTF-16 unit is at most 3 UTF-8 bytes),
    // which spares a SHA-256 per request; a longer one is hashed. A hash is hex, never starts with "[".
    const listKey = canonical.length <= MAX_PLAIN_KEY ? canonical : await digest(canonical);
    const body = await cached<ProductList>(c.env, c.executionCtx, `list:${listKey}`, async () => {
      const page = await listProducts(database(c.env.DB), query, fts);
      return { products: page.products, pagination: pagination(query, page.total) };
    });
    if (!body) throw new Error("list load answered nothing");
    return cachedJson<ProductList>(c, body);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    // Tagged with the product's own version, read with its row: only a change of THIS product retires the page.
    const body = await cachedItem<ProductEnvelope>(c.env, c.executionCtx, id, async () => {
      const found = await findActiveProduct(database(c.env.DB), id);
      return found && { body: { product: found.product }, version: found.version };
    });
    if (!body) throw errors.notFound("Product");
    return cachedJson<ProductEnvelope>(c, body);
  });

  app.openapi(createProductRoute, async (c) => {
    const write = await createProduct(database(c.env.DB), c.req.valid("json"), new Date());
    return c.json({ product: await afterWrite(c.env, c.executionCtx, write) }, 201);
  });

  app.openapi(replaceRoute, async (c) => {
    const { id } = c.req.valid("param");
    const write = await updateProduct(database(c.env.DB), id, c.req.valid("json"), new Date());
    return c.json({ product: await afterWrite(c.env, c.executionCtx, write) }, 200);
  });

  app.openapi(patchRoute, async (c) => {
    const { id } = c.req.valid("param");
    const write = await updateProduct(database(c.env.DB), id, c.req.valid("json"), new Date());
    return c.json({ product: await afterWrite(c.env, c.executionCtx, write) }, 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    await afterWrite(c.env, c.executionCtx, await deactivateProduct(database(c.env.DB), id, new Date()));
    return c.body(null, 204);
  });
}
