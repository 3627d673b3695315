// Demo catalog for `pnpm dev` (scripts/seed.ts imports this and runs the SQL with `wrangler d1 execute`).
// Pure module: runs under Node. Idempotent: fixed ids and ON CONFLICT DO NOTHING, so a second run adds
// nothing. The FTS index is filled by the products_fts triggers as each row is inserted (and skipped rows
// fire no trigger), so it stays consistent with the table.
import { DEMO_CATALOG } from "./catalog.ts";

const BASE_TIME = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;

// SQL string literal: the data is ours, but quote it properly anyway.
function text(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Seed SQL for the demo catalog: one INSERT per line (D1's exec runs line by line). */
export async function seedSql(): Promise<string> {
  const lines: string[] = [];
  let n = 0;
  for (const [category, items] of Object.entries(DEMO_CATALOG)) {
    for (const [name, description, price, stock, tags] of items) {
      n += 1;
      const id = `prod-${String(n).padStart(3, "0")}-${slug(name)}`.slice(0, 64);
      const createdAt = BASE_TIME + n * HOUR;
      const values = [
        text(id),
        text(name),
        text(description),
        String(price),
        text("USD"),
        text(category),
        String(stock),
        // Pictures are uploaded once the stack runs (scripts/lib/seed-pictures.ts), as an admin would.
        text("[]"),
        text(JSON.stringify(tags)),
        "1",
        String(createdAt),
        String(createdAt),
      ].join(", ");
      lines.push(
        "INSERT INTO products (id, name, description, price, currency, category, stock, images, tags, " +
          `is_active, created_at, updated_at) VALUES (${values}) ON CONFLICT (id) DO NOTHING;`,
      );
    }
  }
  // Retire cached responses of a running dev server (its KV mirror of the version expires within 60 s).
  lines.push("UPDATE catalog_meta SET version = version + 1 WHERE id = 1;");
  return `${lines.join("\n")}\n`;
}
