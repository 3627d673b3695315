import { describe, expect, it } from "vitest";
import { parseOptions } from "../lib/args.ts";
import { DEMO_SIZE, largeCatalogSql } from "../lib/catalog.ts";
import { catalogTable, catalogVerdicts, rowsPerCall } from "../lib/catalog-report.ts";
import { type D1Tallies, tallyD1 } from "../lib/stack.ts";
import { benchRow } from "./row.ts";

describe("the large catalog", () => {
  it("is the same rows for the same size, in INSERTs of 200, up to the size asked with the demo's", () => {
    const statements = largeCatalogSql(1000);
    expect(largeCatalogSql(1000)).toEqual(statements);
    const inserts = statements.filter((s) => s.startsWith("INSERT"));
    const rows = inserts.reduce((n, s) => n + (s.match(/\('gen-/g)?.length ?? 0), 0);
    expect(rows).toBe(1000 - DEMO_SIZE);
    expect(Math.max(...inserts.map((s) => s.match(/\('gen-/g)?.length ?? 0))).toBe(200);
    expect(statements.at(-1)).toContain("catalog_meta");
  });

  it("is asked for with --catalog, and its run writes to bench/results/catalog/", () => {
    const options = parseOptions(["--catalog", "50000"]);
    expect(options?.catalog).toBe(50000);
    expect(options?.outDir).toMatch(/results\/catalog\/$/);
    expect(parseOptions(["--catalog", "50000", "--only", "search"])?.outDir).toMatch(/results\/tmp\/$/);
    expect(parseOptions([])?.catalog).toBeUndefined();
  });
});

describe("D1 rows read, from the products' log lines", () => {
  it("adds each request's and RPC call's rows under its route or method, skipping lines without them", () => {
    const tallies: D1Tallies = {};
    const line = (fields: Record<string, unknown>) => JSON.stringify({ level: "info", ...fields });
    tallyD1(tallies, line({ msg: "request", method: "GET", route: "/api/products", d1RowsRead: 21 }));
    tallyD1(tallies, line({ msg: "request", method: "GET", route: "/api/products", d1RowsRead: 9 }));
    tallyD1(tallies, line({ msg: "rpc", method: "reserve", d1RowsRead: 4 }));
    tallyD1(tallies, line({ msg: "request", method: "GET", route: "/health" }));
    expect(tallies).toEqual({
      "GET /api/products": { rows: 30, calls: 2 },
      "rpc reserve": { rows: 4, calls: 1 },
    });
  });
});

describe("the catalog report", () => {
  const line = (size: number, seconds: number, rows: number, kind: "read" | "cached" = "read") =>
    benchRow(`scale:search@${size}`, 1000, seconds, {
      group: "catalog",
      title: `search, ${size} products`,
      catalog: { size, shape: "search", kind, d1Routes: ["GET /api/products"] },
      d1: { "GET /api/products": { rows: rows * 1000, calls: 1000 } },
    });

  it("pairs each shape's two sizes and judges the cost ratio and the rows read", () => {
    const rows = [line(56, 2, 40), line(50000, 2.8, 1200)];
    expect(rowsPerCall(rows[1] ?? line(0, 1, 0))).toBe(1200);
    expect(catalogTable(rows).rows[0]).toEqual(expect.arrayContaining(["1.40", "1,200"]));
    expect(catalogVerdicts(rows).map((v) => v.ok)).toEqual([true]);
    expect(catalogVerdicts([line(56, 2, 40), line(50000, 3.2, 1200)]).map((v) => v.ok)).toEqual([false]);
    expect(catalogVerdicts([line(56, 2, 40), line(50000, 2, 2001)]).map((v) => v.ok)).toEqual([false]);
  });

  it("holds a cached read to a tighter ratio, its rows counted per request", () => {
    const cached = [line(56, 1, 0, "cached"), line(50000, 1.25, 0, "cached")];
    expect(catalogVerdicts(cached).map((v) => v.ok)).toEqual([false]);
  });
});
