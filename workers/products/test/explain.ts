import { env } from "cloudflare:workers";
import type { ProductListQuery } from "@edge-shop/contracts";
import { fillPlaceholders } from "drizzle-orm";
import { database } from "../src/db/client";
import { pageStatements, pageValues } from "../src/db/queries/product-list";
import { toFtsQuery } from "../src/search/fts-query";

/** One step of SQLite's query plan: its id, its parent's and what it does. */
export interface PlanStep {
  id: number;
  parent: number;
  detail: string;
}

/**
 * SQLite's query plan of a list's page statement (or of its total statement), with the number of temporary
 * B-trees the statement is built to hold (each over a bounded set of rows: see list-sql.ts and search-sql.ts).
 */
export async function explainPage(
  query: ProductListQuery,
  which: "page" | "total" = "page",
): Promise<{ steps: PlanStep[]; boundedSorts: number }> {
  const fts = toFtsQuery(query.search);
  const prepared = pageStatements(database(env.DB), query, fts)[which];
  const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${prepared.sql}`)
    .bind(...fillPlaceholders(prepared.params, pageValues(query, fts)))
    .all<PlanStep>();
  return { steps: plan.results, boundedSorts: prepared.boundedSorts };
}

/** D1's rows read by a list's page statement and by its total statement, each run once with the query's values. */
export async function rowsRead(query: ProductListQuery): Promise<{ page: number; total: number }> {
  const fts = toFtsQuery(query.search);
  const { page, total } = pageStatements(database(env.DB), query, fts);
  const values = pageValues(query, fts);
  const run = async (prepared: typeof page) =>
    (await prepared.statement.bind(...fillPlaceholders(prepared.params, values)).all()).meta.rows_read;
  return { page: await run(page), total: await run(total) };
}
