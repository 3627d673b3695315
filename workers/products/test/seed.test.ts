import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { seedSql } from "../seed/seed";
import { list } from "./helpers";

async function seededCount(): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM products WHERE id LIKE 'prod-%'").first<{
    n: number;
  }>();
  return row?.n ?? 0;
}

describe("demo catalog seed", () => {
  it("is idempotent, big enough, and leaves the FTS index consistent", async () => {
    const sql = await seedSql();
    await env.DB.exec(sql);
    const once = await seededCount();
    await env.DB.exec(sql);
    expect(await seededCount()).toBe(once);
    expect(once).toBeGreaterThanOrEqual(50);

    const categories = await env.DB.prepare(
      "SELECT count(DISTINCT category) AS n FROM products WHERE id LIKE 'prod-%'",
    ).first<{ n: number }>();
    expect(categories?.n).toBeGreaterThanOrEqual(6);
    const low = await env.DB.prepare(
      "SELECT count(*) AS n FROM products WHERE id LIKE 'prod-%' AND stock BETWEEN 1 AND 3",
    ).first<{ n: number }>();
    expect(low?.n).toBeGreaterThanOrEqual(5);
    const odd = await env.DB.prepare(
      "SELECT count(*) AS n FROM products WHERE id LIKE 'prod-%' AND (currency <> 'USD' OR price <= 0 OR typeof(price) <> 'integer')",
    ).first<{ n: number }>();
    expect(odd?.n).toBe(0);

    // Throws when the external-content index disagrees with the products table.
    await env.DB.prepare("INSERT INTO products_fts (products_fts, rank) VALUES ('integrity-check', 1)").run();
    const found = await list({ search: "noise cancelling headphones" });
    expect(found.products[0]?.id).toBe("prod-001-wireless-noise-cancelling-headphones");
  });
});
