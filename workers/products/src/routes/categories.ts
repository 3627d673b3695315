import { type CategoryList, CategoryListSchema } from "@edge-shop/contracts";
import { createRoute } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { cached } from "../cache/catalog-cache";
import { database } from "../db/client";
import { listCategories } from "../db/queries/product-list";
import { cachedJson } from "./cached-json";
import { xCache } from "./problems";

const categoriesRoute = createRoute({
  method: "get",
  path: "/api/categories",
  tags: ["Products"],
  summary: "Categories of active products, with how many each has",
  responses: {
    200: {
      description: "The categories, by name",
      headers: xCache,
      content: { "application/json": { schema: CategoryListSchema } },
    },
  },
});

/** `GET /api/categories`, cached like the product lists. */
export function registerCategoryRoutes(app: App): void {
  app.openapi(categoriesRoute, async (c) => {
    const body = await cached<CategoryList>(c.env, c.executionCtx, "categories", async () => ({
      categories: await listCategories(database(c.env.DB)),
    }));
    if (!body) throw new Error("categories load answered nothing");
    return cachedJson<CategoryList>(c, body);
  });
}
