import { env } from "cloudflare:workers";
import { CatalogLimits, type ProductSortField } from "@edge-shop/contracts";

// A generated catalog and a plain in-memory model of what GET /api/products must answer for it: filter, sort,
// the window of page numbers, the search scope (the newest matches), as docs/architecture.md describes them.

/** A deterministic PRNG (mulberry32), so a failing case names its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface ModelRow {
  seq: number;
  id: string;
  name: string;
  price: number;
  category: string;
  createdAt: number;
  isActive: boolean;
  description: string;
  tags: string[];
  /** Every word the full-text index holds for it, lower-case. */
  words: string[];
}

export const CATEGORIES = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"];
// Words of very different frequencies, so some searches overflow the scope and others match a handful.
export const VOCABULARY = ["amber", "basil", "cedar", "dune", "ember", "fjord", "grove", "heron", "kelp"];
const NAMES = ["apple", "Apple", "APPLE", "banana", "Cherry", "cherry", "date"];

/** `count` products with many ties (names differing only in case, equal prices and timestamps). */
export function generateCatalog(count: number, seed: number): ModelRow[] {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  // Skewed word draw: "amber" in about half the products, "kelp" in about one in a hundred.
  const word = () =>
    VOCABULARY[Math.min(VOCABULARY.length - 1, Math.floor(-Math.log2(1 - random() * 0.998)))] ?? "kelp";
  return Array.from({ length: count }, (_, i) => {
    const name = `${NAMES[int(NAMES.length)]} ${word()} ${int(7)}`;
    const description = [word(), word(), word()];
    const tags = [word()];
    return {
      seq: i + 1,
      id: `model-${String(i + 1).padStart(5, "0")}`,
      name,
      price: 100 * int(60),
      category: random() < 0.4 ? "Alpha" : (CATEGORIES[1 + int(4)] ?? "Beta"),
      createdAt: Date.UTC(2025, 0, 1) + int(2000) * 60_000,
      isActive: random() < 0.9,
      description: description.join(" "),
      tags,
      words: [...name.toLowerCase().split(" "), ...description, ...tags],
    };
  });
}

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Writes the model's rows to D1 (the triggers fill the full-text index and the category counts). */
export async function storeCatalog(rows: ModelRow[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += 100) {
    const values = rows.slice(i, i + 100).map(
      (
        row,
      ) => `(${row.seq}, ${quote(row.id)}, ${quote(row.name)}, ${quote(row.description)}, ${row.price}, 'USD',
        ${quote(row.category)}, 5, '[]', ${quote(JSON.stringify(row.tags))}, ${row.isActive ? 1 : 0},
        ${row.createdAt}, ${row.createdAt})`,
    );
    statements.push(
      env.DB.prepare(
        `INSERT INTO products (seq, id, name, description, price, currency, category, stock, images, tags,
          is_active, created_at, updated_at) VALUES ${values.join(", ")}`,
      ),
    );
  }
  await env.DB.batch(statements);
}

export interface ModelQuery {
  includeInactive: boolean;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  search?: string[];
  sortBy?: ProductSortField;
  sortOrder: "asc" | "desc";
}

function passes(row: ModelRow, q: ModelQuery): boolean {
  return (
    (q.includeInactive || row.isActive) &&
    (q.category === undefined || row.category === q.category) &&
    (q.minPrice === undefined || row.price >= q.minPrice) &&
    (q.maxPrice === undefined || row.price <= q.maxPrice)
  );
}

function matchesWords(row: ModelRow, words: string[]): boolean {
  const last = words.length - 1;
  return words.every((word, i) => row.words.some((w) => (i === last ? w.startsWith(word) : w === word)));
}

// SQLite's NOCASE folds ASCII letters only; the model's names are ASCII.
function compare(q: ModelQuery): (a: ModelRow, b: ModelRow) => number {
  const field = q.sortBy ?? "createdAt";
  const sign = q.sortOrder === "asc" ? 1 : -1;
  const key = (row: ModelRow) =>
    field === "name" ? row.name.toLowerCase() : field === "price" ? row.price : row.createdAt;
  return (a, b) => {
    const [x, y] = [key(a), key(b)];
    return sign * (x < y ? -1 : x > y ? 1 : a.seq - b.seq);
  };
}

/** What the service must answer for a query, before paging: the rows in order and the counts. */
export interface Expected {
  rows: ModelRow[];
  total: number;
  totalIsEstimate: boolean;
  /** Results page numbers reach. */
  reach: number;
  /** A search by relevance: `rows` are its candidates in no particular order. */
  ranked: boolean;
}

/** The model's answer to a query over `catalog`. */
export function expected(catalog: ModelRow[], q: ModelQuery): Expected {
  if (!q.search) {
    const rows = catalog.filter((row) => passes(row, q)).sort(compare(q));
    const priced = q.minPrice !== undefined || q.maxPrice !== undefined;
    const capped = priced && rows.length > CatalogLimits.window;
    const total = capped ? CatalogLimits.window : rows.length;
    return {
      rows,
      total,
      totalIsEstimate: capped,
      reach: Math.min(total, CatalogLimits.window),
      ranked: false,
    };
  }
  const words = q.search;
  const scope = catalog
    .filter((row) => matchesWords(row, words))
    .sort((a, b) => b.seq - a.seq)
    .slice(0, CatalogLimits.searchScope);
  const passing = scope.filter((row) => passes(row, q));
  const scopeFull = scope.length >= CatalogLimits.searchScope;
  if (q.sortBy) {
    const rows = passing.sort(compare(q));
    return { rows, total: rows.length, totalIsEstimate: scopeFull, reach: rows.length, ranked: false };
  }
  // By relevance, counted up to the candidates it ranks.
  const candidates = passing.slice(0, CatalogLimits.ranked);
  const more = passing.length > CatalogLimits.ranked;
  return {
    rows: candidates,
    total: candidates.length,
    totalIsEstimate: more || scopeFull,
    reach: candidates.length,
    ranked: true,
  };
}
