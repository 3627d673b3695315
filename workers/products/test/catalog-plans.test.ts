import { ProductListQuerySchema, type ProductSortField } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { encodeCursor } from "../src/catalog/cursor";
import { LIST_INDEXES } from "../src/db/schema";
import { explainPage, type PlanStep } from "./explain";
import { insertProducts } from "./helpers";

// Every shape a list or search can take, as query strings: filters × sort × cursor × activity × search.
const PRICES: Record<string, string>[] = [
  {},
  { minPrice: "1000" },
  { maxPrice: "5000" },
  { minPrice: "1000", maxPrice: "5000" },
  // Bounds inside price bands, and more bands than one compound SELECT may hold (D1: 5 terms).
  { minPrice: "1050", maxPrice: "1234567" },
  // Bounds that cut few bands: the page statement walks them itself.
  { minPrice: "40123", maxPrice: "50456" },
];
const SORTS: { sortBy?: ProductSortField; sortOrder: "asc" | "desc" }[] = [
  { sortOrder: "desc" },
  ...(["createdAt", "price", "name"] as const).flatMap((sortBy) =>
    (["asc", "desc"] as const).map((sortOrder) => ({ sortBy, sortOrder })),
  ),
];

function cursorOf(sort: (typeof SORTS)[number]): string {
  const sortBy = sort.sortBy ?? "createdAt";
  return encodeCursor({ sortBy, sortOrder: sort.sortOrder }, { key: sortBy === "name" ? "M" : 1000, seq: 5 });
}

function shapes(): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const search of [undefined, "mug"])
    for (const includeInactive of [false, true])
      for (const category of [undefined, "Misc"])
        for (const price of PRICES)
          for (const sort of SORTS)
            for (const withCursor of [false, true]) {
              const ranked = search !== undefined && sort.sortBy === undefined;
              if (withCursor && ranked) continue;
              out.push({
                ...(search ? { search } : {}),
                ...(includeInactive ? { includeInactive: "true" } : {}),
                ...(category ? { category } : {}),
                ...price,
                ...(sort.sortBy ? { sortBy: sort.sortBy } : {}),
                sortOrder: sort.sortOrder,
                ...(withCursor ? { cursor: cursorOf(sort) } : {}),
              });
            }
  return out;
}

const PRODUCT_ALIASES = /^(SCAN|SEARCH) (t|x|products)\b/;
const KNOWN_INDEXES = new Set<string>(Object.values(LIST_INDEXES));

/** What is wrong with a plan: a full scan, an unordered full-text walk, an unknown index, an unplanned sort. */
function problems(steps: PlanStep[], boundedSorts: number): string[] {
  const found: string[] = [];
  for (const { detail } of steps) {
    if (PRODUCT_ALIASES.test(detail)) {
      const index = /USING (?:COVERING )?INDEX (\w+)/.exec(detail)?.[1];
      const byKey = /USING INTEGER PRIMARY KEY/.test(detail);
      if (!byKey && (index === undefined || !KNOWN_INDEXES.has(index)))
        found.push(`full scan or stray index: ${detail}`);
    }
    // 192: FTS5 hands its matches over in descending rowid order, so a LIMIT stops the walk (no sort of them all).
    if (detail.includes("products_fts") && !/VIRTUAL TABLE INDEX 192:/.test(detail)) {
      found.push(`full-text walk not newest first: ${detail}`);
    }
    if (/CORRELATED/.test(detail)) found.push(`correlated subquery: ${detail}`);
  }
  const sorts = steps.filter((s) => s.detail.includes("USE TEMP B-TREE")).length;
  if (sorts !== boundedSorts) found.push(`${sorts} temporary B-trees, ${boundedSorts} planned`);
  return found;
}

describe("query plans of every list and search shape", () => {
  it("walk an index or the full-text index newest first, never the whole table, and sort only bounded sets", async () => {
    // A few rows, so the planner sees a table and not an empty one.
    await insertProducts(Array.from({ length: 30 }, (_, i) => ({ name: `Plan mug ${i}`, price: 100 * i })));
    const failures: string[] = [];
    const all = shapes();
    for (const raw of all) {
      const query = ProductListQuerySchema.parse(raw);
      // A wide range's walk of bands cut at its bounds, and of the whole sort (no row outside the range).
      const views = [
        ["page", undefined],
        ["total", undefined],
        ["wide", undefined],
        ["wide", { low: 0, high: 1 }],
      ] as const;
      for (const [which, span] of views) {
        const explained = await explainPage(query, which, span);
        if (!explained) continue;
        for (const problem of problems(explained.steps, explained.boundedSorts)) {
          failures.push(`${new URLSearchParams(raw)} (${which}${span ? " of all" : ""}): ${problem}`);
        }
      }
    }
    expect(all.length).toBeGreaterThan(300);
    expect(failures).toEqual([]);
  });

  it("lists without a price filter walk their sort's index with no sort at all", async () => {
    const query = ProductListQuerySchema.parse({ category: "Misc", sortBy: "price", sortOrder: "asc" });
    const steps = (await explainPage(query))?.steps ?? [];
    expect(steps.map((s) => s.detail)).toContain(
      `SEARCH t USING INDEX ${LIST_INDEXES.categoryPrice} (category=?)`,
    );
    expect(steps.some((s) => s.detail.includes("TEMP B-TREE"))).toBe(false);
  });
});
