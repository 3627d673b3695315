import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./run";
import { configOf, databaseOf, ROOT, SERVICES, type Service, WRANGLER } from "./workers";

/** `wrangler d1 <args>` against a service's local database in `persistTo`. */
function localD1(service: Service, persistTo: string, args: string[]): Promise<string> {
  return run(WRANGLER, ["d1", ...args, "--local", "-c", configOf(service), "--persist-to", persistTo], {
    quiet: true,
    env: { CI: "true" },
  });
}

/** Applies every service's pending D1 migrations to the local state in `persistTo`. */
export async function migrateLocal(persistTo: string): Promise<void> {
  for (const service of SERVICES) {
    await localD1(service, persistTo, ["migrations", "apply", databaseOf(service)]);
  }
}

async function seedSqlOf(service: Service): Promise<string | undefined> {
  const module = `${ROOT}workers/${service}/seed/seed.ts`;
  if (!existsSync(module)) return undefined;
  const { seedSql } = (await import(module)) as { seedSql: () => Promise<string> };
  return seedSql();
}

/** Runs each service's idempotent seed SQL against the local state; returns the services seeded. */
export async function seedLocal(persistTo: string): Promise<Service[]> {
  const seeded: Service[] = [];
  const dir = await mkdtemp(join(tmpdir(), "edge-shop-seed-"));
  try {
    for (const service of SERVICES) {
      const sql = await seedSqlOf(service);
      if (!sql) continue;
      const file = join(dir, `${service}.sql`);
      await writeFile(file, sql);
      await localD1(service, persistTo, ["execute", databaseOf(service), "--file", file]);
      seeded.push(service);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return seeded;
}
