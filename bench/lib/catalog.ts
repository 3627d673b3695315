// The large catalog of `pnpm bench -- --catalog N`: the demo catalog's products as templates, varied by a seeded
// PRNG, so every run (and every line's fresh workerd) loads exactly the same rows, offline. See bench/README.md,
// "A large catalog".
import { DEMO_CATALOG } from "../../workers/products/seed/catalog.ts";

/** How many demo products the seed writes (the large catalog adds generated ones up to the size asked). */
export const DEMO_SIZE = Object.values(DEMO_CATALOG).reduce((n, items) => n + items.length, 0);

/** Rows per INSERT: one statement stays well under D1's 100 KB statement limit. */
const ROWS_PER_STATEMENT = 200;

const ADJECTIVES = [
  "Classic",
  "Compact",
  "Deluxe",
  "Essential",
  "Everyday",
  "Heritage",
  "Lightweight",
  "Modern",
  "Premium",
  "Pro",
  "Rugged",
  "Signature",
  "Slim",
  "Studio",
  "Travel",
  "Ultra",
];
const EDITIONS = ["", "", "", " II", " III", " Mini", " Max", " Plus", " 2026", " Limited Edition"];
const COLOURS = ["black", "white", "graphite", "sand", "olive", "navy", "red", "teal", "walnut", "slate"];
const SENTENCES = [
  "Backed by a two-year warranty.",
  "Ships in recyclable packaging.",
  "Designed to last, with replaceable parts.",
  "A customer favourite, restocked every month.",
  "Made in small batches by an independent workshop.",
  "Tested by our team for a full season.",
  "Comes with a quick-start guide.",
  "Gift wrapping available at checkout.",
];
const EXTRA_TAGS = ["gift", "bestseller", "new", "sale", "eco", "premium", "bundle", "limited"];

const DAY = 86_400_000;
/** Generated products were created over the two years before the demo catalog (2025-01-01) and a month after. */
const FIRST_CREATED = Date.UTC(2023, 0, 1);
const LAST_CREATED = Date.UTC(2025, 1, 1);

/** mulberry32: a small seeded PRNG, the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const TEMPLATES = Object.entries(DEMO_CATALOG).flatMap(([category, items]) =>
  items.map(([name, description, price, , tags]) => ({ category, name, description, price, tags })),
);

function text(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** One generated product as the VALUES tuple of `INSERT INTO products (…)` (the seed's column order). */
function generatedRow(n: number, random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const template = pick(TEMPLATES);
  const colour = pick(COLOURS);
  const name = `${pick(ADJECTIVES)} ${template.name}${pick(EDITIONS)}`;
  const description = `${template.description} In ${colour}. ${pick(SENTENCES)}`;
  // 0.5× to 2× the template's price, ending in 99 cents.
  const price = Math.max(99, Math.round((template.price * (0.5 + 1.5 * random())) / 100) * 100 - 1);
  const tags = random() < 0.5 ? [...template.tags, pick(EXTRA_TAGS)] : [...template.tags];
  const createdAt = FIRST_CREATED + Math.floor(random() * ((LAST_CREATED - FIRST_CREATED) / 1000)) * 1000;
  const active = random() < 0.97 ? 1 : 0;
  return [
    text(`gen-${String(n).padStart(6, "0")}`),
    text(name),
    text(description),
    String(price),
    text("USD"),
    text(template.category),
    String(Math.floor(random() * 200)),
    text("[]"),
    text(JSON.stringify([...new Set(tags)])),
    String(active),
    String(createdAt),
    String(createdAt + Math.floor(random() * 30) * DAY),
  ].join(", ");
}

/**
 * The statements that add generated products to a freshly seeded products database until it holds `total`
 * products in all (the demo's included), in multi-row INSERTs; the FTS index and the catalog counts follow
 * through their triggers. Deterministic: the same `total` gives the same rows.
 */
export function largeCatalogSql(total: number): string[] {
  const random = prng(0x5eed);
  const statements: string[] = [];
  let values: string[] = [];
  const flush = () => {
    if (values.length === 0) return;
    statements.push(
      "INSERT INTO products (id, name, description, price, currency, category, stock, images, tags, " +
        `is_active, created_at, updated_at) VALUES (${values.join("), (")})`,
    );
    values = [];
  };
  for (let n = 1; n <= total - DEMO_SIZE; n++) {
    values.push(generatedRow(n, random));
    if (values.length === ROWS_PER_STATEMENT) flush();
  }
  flush();
  // Retire anything cached before the load.
  statements.push("UPDATE catalog_meta SET version = version + 1 WHERE id = 1");
  return statements;
}
