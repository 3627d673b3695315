import { env } from "cloudflare:workers";
import { type D1Tally, requestLog, withContext, withD1Stats } from "@edge-shop/worker-kit";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { database } from "../src/db/client";
import { products } from "../src/db/schema";
import { insertProducts, uniqueWord } from "./helpers";

// The bench's D1 rows per request (`D1_STATS`): a stand-in binding that counts, only while a tally is kept.

describe("D1 stats for the bench", () => {
  it("leave the binding untouched without a tally (every deployed environment)", () => {
    expect(withD1Stats(env.DB)).toBe(env.DB);
    expect(database(env.DB).$client).toBe(env.DB);
  });

  it("count the rows of drizzle's reads, writes and batches, and answer the same rows", async () => {
    const category = uniqueWord("cat");
    await insertProducts([
      { category, name: "One" },
      { category, name: "Two" },
    ]);
    const plain = await database(env.DB).select().from(products).where(eq(products.category, category));
    const tally: D1Tally = { rowsRead: 0, rowsWritten: 0 };
    await withContext({ d1: tally }, async () => {
      const db = database(env.DB);
      expect(db.$client).not.toBe(env.DB);
      expect(await db.select().from(products).where(eq(products.category, category))).toEqual(plain);
      expect(tally.rowsRead).toBeGreaterThanOrEqual(2);
      const before = tally.rowsWritten;
      await db.batch([
        db.update(products).set({ stock: 7 }).where(eq(products.category, category)),
        db.select({ id: products.id }).from(products).where(eq(products.category, category)),
      ]);
      expect(tally.rowsWritten).toBeGreaterThan(before);
      const first = await db.$client
        .prepare("SELECT count(*) AS n FROM products WHERE category = ?")
        .bind(category)
        .first("n");
      expect(first).toBe(2);
    });
  });

  it("log the rows of a request on its line when the service sets D1_STATS", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: string) => lines.push(line));
    try {
      const app = new Hono<{ Bindings: { D1_STATS: string }; Variables: { requestId: string } }>();
      app.use(async (c, next) => {
        c.set("requestId", "stats-test");
        await next();
      });
      app.use(requestLog("products"));
      app.get("/", async (c) =>
        c.json(await database(env.DB).select({ id: products.id }).from(products).limit(1)),
      );
      await app.request("/", {}, { D1_STATS: "1" });
      await app.request("/", {}, { D1_STATS: "" });
    } finally {
      spy.mockRestore();
    }
    const [counted, plain] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(counted).toMatchObject({ msg: "request", d1RowsRead: 1 });
    expect(plain?.msg).toBe("request");
    expect(plain).not.toHaveProperty("d1RowsRead");
  });
});
