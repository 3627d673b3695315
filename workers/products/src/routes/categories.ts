import { CategoryListSchema } from "@edge-shop/contracts";
import { createRoute } from "@hono/zod-openapi";
import type { App } from "../app-env";
import { cached } from "../cache/catalog-cache";
import { database } from "../db/client";
import { listCategories } from "../db/queries/product-list";
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
    const db = database(c.env.DB);
    const { body, status } = await cached(c.env, db, "categories", async () => ({
      categories: await listCategories(db),
    }));
    return c.json(body ?? { categories: [] }, 200, { "X-Cache": status });
  });
}
