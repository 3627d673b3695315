// Reads the running stack's D1 databases straight from its local state (every worker's D1 is a SQLite file
// there), so a test can search every table of every service, whatever tables they have.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

async function sqliteFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".sqlite") && join(e.parentPath, e.name).includes("/d1/"))
    .map((e) => join(e.parentPath, e.name));
}

/** Every `table: row` (as JSON) of every D1 database in `stateDir` that contains one of `needles`. */
export async function rowsContaining(stateDir: string, needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of await sqliteFiles(stateDir)) {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as { name: string }[];
      for (const { name } of tables) {
        for (const row of db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all()) {
          const text = JSON.stringify(row);
          if (needles.some((needle) => text.includes(needle))) found.push(`${name}: ${text}`);
        }
      }
    } finally {
      db.close();
    }
  }
  return found;
}

/** How many D1 databases `stateDir` holds (a search that found none searched nothing). */
export async function d1Count(stateDir: string): Promise<number> {
  return (await sqliteFiles(stateDir)).length;
}
