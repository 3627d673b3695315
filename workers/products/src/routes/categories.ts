import { type CategoryList, CategoryListSchema } from "@edge-shop/contracts";
import { openApi, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute } from "@hono/zod-openapi";
import { cachedJson, xCache } from "../cache/cached-json";
import { cached } from "../cache/catalog-cache";
import { database } from "../db/client";
import { listCategories } from "../db/queries/product-list";

const categoriesRoute = createRoute({
  method: "get",
  path: "/api/categories",
  tags: ["Products"],
  summary: "Categories of active products, with how many each has",
  responses: {
    200: { ...openApi.json(CategoryListSchema, "The categories, by name"), headers: xCache },
  },
});

/** `GET /api/categories`, cached like the product lists. */
export function categoryRoutes(app: ServiceApp<Env>): void {
  app.openapi(categoriesRoute, async (c) => {
    const body = await cached<CategoryList>(c.env, c.executionCtx, "categories", async () => ({
      categories: await listCategories(database(c.env.DB)),
    }));
    if (!body) throw new Error("categories load answered nothing");
    return cachedJson<CategoryList>(c, body);
  });
}
