import { env } from "cloudflare:workers";
import type { ProductListQuery } from "@edge-shop/contracts";
import { fillPlaceholders } from "drizzle-orm";
import { database } from "../src/db/client";
import { pageStatements, pageValues, widerThanWindow } from "../src/db/queries/product-list";
import { toFtsQuery } from "../src/search/fts-query";

/** One step of SQLite's query plan: its id, its parent's and what it does. */
export interface PlanStep {
  id: number;
  parent: number;
  detail: string;
}

/**
 * SQLite's query plan of a list's page statement (or of its total statement, or of a wide price range's page), with
 * the number of temporary B-trees the statement is built to hold (each over a bounded set of rows: see list-sql.ts
 * and search-sql.ts). Undefined when the shape has no such statement.
 */
export async function explainPage(
  query: ProductListQuery,
  which: "page" | "total" | "wide" = "page",
): Promise<{ steps: PlanStep[]; boundedSorts: number } | undefined> {
  const fts = toFtsQuery(query.search);
  const prepared = pageStatements(database(env.DB), query, fts)[which];
  if (!prepared) return undefined;
  const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${prepared.sql}`)
    .bind(...fillPlaceholders(prepared.params, pageValues(query, fts)))
    .all<PlanStep>();
  return { steps: plan.results, boundedSorts: prepared.boundedSorts };
}

/**
 * D1's rows read by a list's page (its page statement, and its bands' walk when that statement counted a range
 * wider than the window) and by its total statement, each run once with the query's values.
 */
export async function rowsRead(query: ProductListQuery): Promise<{ page: number; total: number }> {
  const fts = toFtsQuery(query.search);
  const { page, total, wide } = pageStatements(database(env.DB), query, fts);
  const values = pageValues(query, fts);
  const run = (prepared: typeof page) =>
    prepared.statement.bind(...fillPlaceholders(prepared.params, values)).all<{ total_count?: number }>();
  const answered = await run(page);
  const widened = wide && widerThanWindow(answered.results[0]);
  const walked = widened ? (await run(wide)).meta.rows_read : 0;
  return { page: answered.meta.rows_read + walked, total: (await run(total)).meta.rows_read };
}
