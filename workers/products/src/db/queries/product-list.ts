import { CatalogLimits, type Product, type ProductListQuery } from "@edge-shop/contracts";
import { memoPerShape } from "@edge-shop/worker-kit";
import { asc, fillPlaceholders, gt } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { encodeCursor } from "../../catalog/cursor";
import { type PagePlan, planPage } from "../../catalog/page-plan";
import { type Band, cutBands } from "../../catalog/price-bands";
import type { FtsQuery } from "../../search/fts-query";
import type { Db } from "../client";
import { BM25_RANK } from "../fts";
import { fromColumns, toProduct } from "../product-row";
import { productCounts } from "../schema";
import { LIST_VERSION_SQL, listVersionOf, listVersionQuery } from "./catalog-version";
import { type ListShape, type ListStatements, type Statement, walkStatements } from "./list-sql";
import { bandsStatement, priceRangeStatements } from "./price-range-sql";
import { searchStatements } from "./search-sql";

/** One page of a list or search, what it counted, where the next page starts, the list version it read at. */
export interface ListResult {
  /** The catalog's list version in the snapshot the page's first statement read. */
  listVersion: number;
  products: Product[];
  total: number;
  /** `total` is a lower bound: the count stopped early. */
  totalIsEstimate: boolean;
  /** Results that page numbers reach (`pages` is this many divided into pages). */
  reachable: number;
  nextCursor: string | null;
}

/** A rendered statement: its SQL text, its parameters with placeholders, the bounded sorts its plan may hold. */
interface Rendered {
  sql: string;
  params: unknown[];
  boundedSorts: number;
}

/** A rendered statement and D1's statement for it. */
export interface Prepared extends Rendered {
  statement: D1PreparedStatement;
}

const dialect = new SQLiteAsyncDialect();

type Row = Record<string, unknown>;

function render(statement: Statement): Rendered {
  const { sql, params } = dialect.sqlToQuery(statement.query);
  return { sql, params, boundedSorts: statement.boundedSorts };
}

function shapeKey(plan: PagePlan): string {
  return [plan.mode, ...Object.values(plan.shape)].join("|");
}

const rendered = memoPerShape<{ page: Rendered; total: Rendered }>();
const renderedBands = memoPerShape<Rendered>();

const prepare = (d1: D1Database, text: Rendered): Prepared => ({ ...text, statement: d1.prepare(text.sql) });

// Statements are rendered once per shape and isolate, whatever D1 session a request reads through: a request
// prepares the text (no round trip) and binds its values. See docs/architecture.md, "Catalog and search".
function statementsOf(d1: D1Database, plan: PagePlan): { page: Prepared; total: Prepared } {
  const built = rendered(shapeKey(plan), () => {
    // A price range under another sort (`bandsFrom`) has its own plans; every other list walks its sort's index.
    const statements: ListStatements =
      plan.mode !== "list"
        ? searchStatements(plan.shape, plan.mode === "ranked")
        : plan.bandsFrom
          ? priceRangeStatements(plan.shape)
          : walkStatements(plan.shape);
    return { page: render(statements.page), total: render(statements.total) };
  });
  return { page: prepare(d1, built.page), total: prepare(d1, built.total) };
}

/** The bands' walk of a price range wider than the window (cut to its span), and the bands' numbers it binds. */
export function bandsWalk(d1: D1Database, plan: PagePlan, bands: Band[]) {
  const levels = bands.map((band) => band.level);
  const text = renderedBands([shapeKey(plan), ...levels].join("|"), () =>
    render(bandsStatement(plan.shape, levels)),
  );
  return { prepared: prepare(d1, text), values: bandValues(bands) };
}

/** The number of each band a walk binds (`band0`, `band1`, …). */
function bandValues(bands: Band[]): Record<string, number> {
  return Object.fromEntries(
    bands.flatMap((band, i) => (band.level === "all" ? [] : [[`band${i}`, band.band]])),
  );
}

/** The bands of a counted range, cut to its span (the page statement's `span_…` columns, read past the window). */
function bandsOfSpan(counts: Row): Band[] {
  const price = (value: unknown) => (value === null || value === undefined ? undefined : Number(value));
  return cutBands({
    low: Number(counts.span_low),
    high: Number(counts.span_high),
    below: price(counts.span_below),
    above: price(counts.span_above),
  });
}

/** The statements of a query's shape (for tests: their plans). */
export function pageStatements(db: Db, query: ProductListQuery, fts: FtsQuery) {
  return statementsOf(db.$client, planPage(query, fts.kind === "match"));
}

/** The value of every placeholder of the plan's statements. */
export function pageValues(
  query: ProductListQuery,
  fts: FtsQuery,
  plan = planPage(query, fts.kind === "match"),
): Record<string, unknown> {
  return {
    category: query.category,
    minPrice: query.minPrice,
    maxPrice: query.maxPrice,
    search: fts.kind === "match" ? fts.expression : undefined,
    bm25: BM25_RANK,
    cursorKey: plan.position?.key,
    cursorSeq: plan.position?.seq,
    // One row past the page says whether a next page exists.
    take: plan.size + 1,
    offset: plan.offset,
    ...bandValues(plan.bands),
  };
}

function bound(prepared: Prepared, values: Record<string, unknown>): D1PreparedStatement {
  return prepared.statement.bind(...fillPlaceholders(prepared.params, values));
}

async function run(prepared: Prepared, values: Record<string, unknown>): Promise<Row[]> {
  return (await bound(prepared, values).all<Row>()).results;
}

/** `prepared`'s rows and the list version, read in one batch (one round trip, one snapshot). */
async function runWithVersion(d1: D1Database, prepared: Prepared, values: Record<string, unknown>) {
  const [version, rows] = await d1.batch<Row>([d1.prepare(LIST_VERSION_SQL), bound(prepared, values)]);
  return { listVersion: listVersionOf(version?.results ?? []), rows: rows?.results ?? [] };
}

/** The total of a list from its `total_count` (exact, or counted up to one past the window). */
function listTotal(shape: ListShape, counted: number) {
  const capped = (shape.minPrice || shape.maxPrice) && counted > CatalogLimits.window;
  const total = capped ? CatalogLimits.window : counted;
  return { total, totalIsEstimate: Boolean(capped), reachable: Math.min(total, CatalogLimits.window) };
}

/**
 * The total of a search: the matches of its scope that pass the filters, a lower bound once the scope is full;
 * by relevance, counted up to the candidates it ranks (`found` holds one more when more exist).
 */
function searchTotal(plan: PagePlan, row: Row) {
  const scopeFull = row.examined !== null && Number(row.examined) >= CatalogLimits.searchScope;
  if (plan.mode === "sorted") {
    const passing = Number(row.passing);
    return { total: passing, totalIsEstimate: scopeFull, reachable: passing };
  }
  const found = Number(row.found);
  const more = found > CatalogLimits.ranked;
  const total = Math.min(found, CatalogLimits.ranked);
  return { total, totalIsEstimate: more || scopeFull, reachable: total };
}

function totalsOf(plan: PagePlan, row: Row) {
  return plan.mode === "list" ? listTotal(plan.shape, Number(row.total_count)) : searchTotal(plan, row);
}

function cursorAfter(plan: PagePlan, product: Product, seq: number): string | null {
  if (!plan.sort) return null;
  const key = {
    createdAt: Date.parse(product.createdAt),
    price: product.price,
    name: product.name,
  }[plan.sort.sortBy];
  return encodeCursor(plan.sort, { key, seq });
}

/**
 * The second statement of a price range whose page statement counted it wider than the window (`counts`, its first
 * row) and answered its span: the walk of bands cut to that span. None for any other page.
 */
export function spanWalk(d1: D1Database, plan: PagePlan, counts: Row | undefined) {
  const wide =
    plan.bandsFrom === "span" && !plan.beyondReach && Number(counts?.total_count) > CatalogLimits.window;
  return wide && counts ? bandsWalk(d1, plan, bandsOfSpan(counts)) : undefined;
}

/**
 * One page of active products (every product with `includeInactive`) matching the filters and the search (ranked
 * with bm25 when it has no `sortBy`), its total and the cursor of the next page. Reads a bounded number of rows
 * whatever the catalog's size: see docs/architecture.md, "Catalog and search".
 */
export async function listProducts(db: Db, query: ProductListQuery, fts: FtsQuery): Promise<ListResult> {
  const plan = planPage(query, fts.kind === "match");
  const d1 = db.$client;
  if (fts.kind === "empty") {
    // Words that match nothing read nothing: the answer is current at any version.
    const listVersion = Number.POSITIVE_INFINITY;
    return { listVersion, products: [], total: 0, totalIsEstimate: false, reachable: 0, nextCursor: null };
  }
  const { page, total } = statementsOf(d1, plan);
  const values = pageValues(query, fts, plan);
  // A ranked search's page always answers a row (its counts, product columns NULL when the page is empty).
  const pageRead = !plan.beyondReach || plan.mode === "ranked";
  const first = await runWithVersion(d1, pageRead ? page : total, values);
  const answered = pageRead ? first.rows : [];
  const counts = answered[0] ?? (pageRead ? (await run(total, values))[0] : first.rows[0]);
  const walk = spanWalk(d1, plan, counts);
  const read = walk ? await run(walk.prepared, { ...values, ...walk.values }) : answered;
  const rows = read.filter((row) => row.seq !== null);
  const totals = counts ? totalsOf(plan, counts) : { total: 0, totalIsEstimate: false, reachable: 0 };
  const shown = rows.slice(0, plan.size);
  const products = shown.map((row) => toProduct(fromColumns(row)));
  const last = shown.at(-1);
  const more = rows.length > plan.size && last !== undefined;
  return {
    listVersion: first.listVersion,
    products,
    ...totals,
    nextCursor: more ? cursorAfter(plan, toProduct(fromColumns(last)), Number(last.seq)) : null,
  };
}

/** Every category that has an active product, with how many it has, by name, and the list version read with them. */
export async function listCategories(
  db: Db,
): Promise<{ categories: { name: string; count: number }[]; listVersion: number }> {
  const [version, categories] = await db.batch([
    listVersionQuery(db),
    db
      .select({ name: productCounts.category, count: productCounts.active })
      .from(productCounts)
      .where(gt(productCounts.active, 0))
      .orderBy(asc(productCounts.category)),
  ]);
  return { categories, listVersion: version[0]?.version ?? 1 };
}
