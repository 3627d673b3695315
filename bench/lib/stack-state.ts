import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Miniflare } from "miniflare";
import { unstable_splitSqlQuery } from "wrangler";
import { SERVICES } from "../../packages/contracts/src/services.ts";
import {
  catalogPage,
  FTS_REBUILD,
  INSERT_ITEM,
  itemRow,
  KV_KEY,
  ROWS,
  SCHEMA,
} from "../primitives/schema.ts";
import { ROOT } from "./bundle.ts";
import { DEMO_SIZE, largeCatalogSql } from "./catalog.ts";
import type { WranglerWorker } from "./wrangler-config.ts";

// What a bench workerd's storage holds before a line: every service migrated and seeded as `pnpm dev` does, a
// generated catalog when asked for, the primitives' data.

async function runStatements(mf: Miniflare, worker: string, sql: string): Promise<number> {
  const db = await mf.getD1Database("DB", worker);
  const statements = unstable_splitSqlQuery(sql).filter((s) => s.trim() !== "");
  for (const statement of statements) await db.prepare(statement).run();
  return statements.length;
}

async function migrate(mf: Miniflare, worker: WranglerWorker): Promise<void> {
  const folder = worker.d1Migrations.DB;
  if (!folder) return;
  const dir = resolve(dirname(resolve(ROOT, worker.configPath)), folder);
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  for (const file of files) await runStatements(mf, worker.name, await readFile(join(dir, file), "utf8"));
}

/** Adds generated products to the seeded catalog until it holds `catalog` products (bench/lib/catalog.ts). */
async function loadCatalog(mf: Miniflare, catalog: number): Promise<void> {
  const db = await mf.getD1Database("DB", "products");
  for (const statement of largeCatalogSql(catalog)) await db.prepare(statement).run();
}

/** Runs `workers/<service>/seed/seed.ts`'s SQL, as `pnpm dev` does; returns whether there was one. */
async function seed(mf: Miniflare, service: string): Promise<boolean> {
  const module = `${ROOT}workers/${service}/seed/seed.ts`;
  if (!existsSync(module)) return false;
  const { seedSql } = (await import(module)) as { seedSql: () => Promise<string> };
  await runStatements(mf, service, await seedSql());
  return true;
}

async function setUpPrimitives(mf: Miniflare): Promise<void> {
  const db = await mf.getD1Database("DB", "prim-hono");
  for (const statement of SCHEMA) await db.prepare(statement).run();
  await db.batch(Array.from({ length: ROWS }, (_, n) => db.prepare(INSERT_ITEM).bind(...itemRow(n))));
  await db.prepare(FTS_REBUILD).run();
  const kv = await mf.getKVNamespace("CACHE", "prim-hono");
  await kv.put(KV_KEY, catalogPage(4096));
}

/**
 * Migrates and seeds every worker of `real`, grows the catalog to `catalog` products when that is more than the
 * demo's, and sets up the primitives' data. `say` hears the steps.
 */
export async function prepareState(
  mf: Miniflare,
  real: WranglerWorker[],
  catalog: number,
  say: (line: string) => void,
  sayCatalog: (line: string) => void,
): Promise<void> {
  say("migrating and seeding");
  for (const worker of real) await migrate(mf, worker);
  const seeded: string[] = [];
  for (const service of SERVICES) if (await seed(mf, service)) seeded.push(service);
  say(`seeded: ${seeded.join(", ") || "nothing"}`);
  if (catalog > DEMO_SIZE) {
    const started = Date.now();
    await loadCatalog(mf, catalog);
    sayCatalog(`catalog of ${catalog} products loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await setUpPrimitives(mf);
}
