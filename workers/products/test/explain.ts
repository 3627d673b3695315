import { env } from "cloudflare:workers";
import type { ProductListQuery } from "@edge-shop/contracts";
import { fillPlaceholders } from "drizzle-orm";
import { planPage } from "../src/catalog/page-plan";
import { boundsSpan, cutBands, type PriceSpan } from "../src/catalog/price-bands";
import { database } from "../src/db/client";
import {
  bandsWalk,
  type Prepared,
  pageStatements,
  pageValues,
  spanWalk,
} from "../src/db/queries/product-list";
import { toFtsQuery } from "../src/search/fts-query";

/** One step of SQLite's query plan: its id, its parent's and what it does. */
export interface PlanStep {
  id: number;
  parent: number;
  detail: string;
}

/**
 * SQLite's query plan of a list's page statement, of its total statement, or of a price range's bands' walk (cut to
 * `span`), with the number of temporary B-trees the statement is built to hold (each over a bounded set of rows:
 * see list-sql.ts, price-range-sql.ts and search-sql.ts). Undefined when the shape has no such statement.
 */
export async function explainPage(
  query: ProductListQuery,
  which: "page" | "total" | "wide" = "page",
  span: PriceSpan = boundsSpan(query.minPrice, query.maxPrice),
): Promise<{ steps: PlanStep[]; boundedSorts: number } | undefined> {
  const fts = toFtsQuery(query.search);
  const plan = planPage(query, fts.kind === "match");
  const db = database(env.DB);
  let prepared: Prepared = pageStatements(db, query, fts)[which === "total" ? "total" : "page"];
  let values = pageValues(query, fts);
  if (which === "wide") {
    if (!plan.bandsFrom) return undefined;
    const walk = bandsWalk(env.DB, plan, cutBands(span));
    prepared = walk.prepared;
    values = { ...values, ...walk.values };
  }
  const explained = await env.DB.prepare(`EXPLAIN QUERY PLAN ${prepared.sql}`)
    .bind(...fillPlaceholders(prepared.params, values))
    .all<PlanStep>();
  return { steps: explained.results, boundedSorts: prepared.boundedSorts };
}

/**
 * D1's rows read by a list's page (its page statement, and its bands' walk when that statement counted a range
 * wider than the window) and by its total statement, each run once with the query's values.
 */
export async function rowsRead(query: ProductListQuery): Promise<{ page: number; total: number }> {
  const fts = toFtsQuery(query.search);
  const plan = planPage(query, fts.kind === "match");
  const { page, total } = pageStatements(database(env.DB), query, fts);
  const values = pageValues(query, fts);
  const run = (prepared: Prepared, extra = {}) =>
    prepared.statement
      .bind(...fillPlaceholders(prepared.params, { ...values, ...extra }))
      .all<Record<string, unknown>>();
  const answered = await run(page);
  const walk = spanWalk(env.DB, plan, answered.results[0]);
  const walked = walk ? (await run(walk.prepared, walk.values)).meta.rows_read : 0;
  return { page: answered.meta.rows_read + walked, total: (await run(total)).meta.rows_read };
}
