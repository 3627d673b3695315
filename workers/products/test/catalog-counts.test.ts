import { env } from "cloudflare:workers";
import type { Product } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { call, insertProducts, list, send, uniqueWord } from "./helpers";

/** The maintained counts beside a count of the rows themselves, for the given categories. */
async function countsOf(categories: string[]) {
  const marks = categories.map(() => "?").join(", ");
  const [kept, counted] = await Promise.all([
    env.DB.prepare(
      `SELECT category, active, total FROM product_counts WHERE category IN (${marks}) ORDER BY category`,
    )
      .bind(...categories)
      .all(),
    env.DB.prepare(
      `SELECT category, sum(is_active) AS active, count(*) AS total FROM products WHERE category IN (${marks})
       GROUP BY category ORDER BY category`,
    )
      .bind(...categories)
      .all(),
  ]);
  return { kept: kept.results, counted: counted.results };
}

async function create(category: string): Promise<Product> {
  const response = await send("POST", "/api/products", { name: "Counted", price: 100, category, stock: 5 });
  expect(response.status).toBe(201);
  return ((await response.json()) as { product: Product }).product;
}

describe("category counts kept by triggers", () => {
  it("follow creates, category moves, deactivation, reactivation and deletes", async () => {
    const [a, b] = [uniqueWord("cat"), uniqueWord("cat")];
    const [first, second, third] = [await create(a), await create(a), await create(a)];
    expect((await send("PATCH", `/api/products/${first.id}`, { category: b })).status).toBe(200);
    expect(
      (await call(`/api/products/${second.id}`, { method: "DELETE", as: { userId: "x", role: "admin" } }))
        .status,
    ).toBe(204);
    expect((await send("PATCH", `/api/products/${third.id}`, { isActive: false })).status).toBe(200);
    expect((await send("PATCH", `/api/products/${third.id}`, { isActive: true, category: b })).status).toBe(
      200,
    );
    // A change that names the same values (a full replace) moves nothing.
    expect(
      (await send("PUT", `/api/products/${third.id}`, { name: "Counted", price: 100, category: b, stock: 5 }))
        .status,
    ).toBe(200);
    await env.DB.prepare("DELETE FROM products WHERE id = ?").bind(first.id).run();
    const { kept, counted } = await countsOf([a, b]);
    const want = [
      { category: a, active: 0, total: 1 },
      { category: b, active: 1, total: 1 },
    ].sort((x, y) => (x.category < y.category ? -1 : 1));
    expect(kept).toEqual(want);
    expect(kept).toEqual(counted);
  });

  it("leave stock changes alone: a reservation's update does not touch them", async () => {
    const category = uniqueWord("cat");
    const [product] = await insertProducts([{ category, stock: 5 }]);
    await env.DB.prepare("UPDATE products SET stock = stock - 1 WHERE id = ?").bind(product?.id).run();
    expect((await countsOf([category])).kept).toEqual([{ category, active: 1, total: 1 }]);
  });

  it("answer /api/categories (active products only, a category with none left out) and list totals", async () => {
    const [shown, emptied] = [uniqueWord("cat"), uniqueWord("cat")];
    await insertProducts([{ category: shown }, { category: shown }, { category: emptied, isActive: false }]);
    const response = await call("/api/categories");
    const { categories } = (await response.json()) as { categories: { name: string; count: number }[] };
    expect(categories).toContainEqual({ name: shown, count: 2 });
    expect(categories.map((c) => c.name)).not.toContain(emptied);
    expect((await list({ category: shown })).pagination).toMatchObject({ total: 2, totalIsEstimate: false });
  });
});
