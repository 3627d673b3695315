import { env } from "cloudflare:workers";
import type { ProductListQuery } from "@edge-shop/contracts";
import { fillPlaceholders } from "drizzle-orm";
import { database } from "../src/db/client";
import { pageStatements, pageValues } from "../src/db/queries/product-list";

/** SQLite's query plan of a list's page statement (a search's when `expression` is given), one step a line. */
export async function explainPage(query: ProductListQuery, expression?: string): Promise<string[]> {
  const { page } = pageStatements(database(env.DB), query, expression !== undefined);
  const { sql, params } = page.getQuery();
  const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...fillPlaceholders(params, pageValues(query, expression)))
    .all<{ detail: string }>();
  return plan.results.map((row) => row.detail);
}
