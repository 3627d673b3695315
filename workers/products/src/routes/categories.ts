import { type CategoryList, CategoryListSchema } from "@edge-shop/contracts";
import { openApi, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute } from "@hono/zod-openapi";
import { cachedJson, xCache } from "../cache/cached-json";
import { cached } from "../cache/catalog-cache";
import { listCategories } from "../db/queries/product-list";
import { bookmarkHeader, bookmarkRequestHeader, withCatalogSessions } from "./catalog-sessions";

const categoriesRoute = createRoute({
  method: "get",
  path: "/api/categories",
  tags: ["Products"],
  summary: "Categories of active products, with how many each has",
  request: { headers: bookmarkRequestHeader },
  responses: {
    200: {
      ...openApi.json(CategoryListSchema, "The categories, by name"),
      headers: xCache.extend(bookmarkHeader.shape),
    },
  },
});

/** `GET /api/categories`, cached like the product lists. */
export function categoryRoutes(app: ServiceApp<Env>): void {
  app.openapi(categoriesRoute, async (c) => {
    const body = await withCatalogSessions(c, (sessions) =>
      cached<CategoryList>(c.env, c.executionCtx, sessions, "categories", async (db) => {
        const { categories, listVersion } = await listCategories(db);
        return { body: { categories }, listVersion };
      }),
    );
    return cachedJson<CategoryList>(c, body);
  });
}
