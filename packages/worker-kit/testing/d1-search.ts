// Test support: searches every table of a D1 database for a string, to prove that a person's data is gone.

/** The tables of `db` (SQLite's and Cloudflare's own left out) with a row whose values contain `text`. */
export async function tablesContaining(db: D1Database, text: string): Promise<string[]> {
  const tables = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    )
    .all<{ name: string }>();
  const found: string[] = [];
  for (const { name } of tables.results) {
    const rows = await db.prepare(`SELECT * FROM "${name}"`).all();
    if (JSON.stringify(rows.results).includes(text)) found.push(name);
  }
  return found;
}
