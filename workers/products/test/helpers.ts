import { env, exports } from "cloudflare:workers";
import type { Identity, Product, ProductPagination } from "@edge-shop/contracts";
import { eq } from "drizzle-orm";
import { forwardedAs } from "../../../packages/worker-kit/testing/signed-caller";
import { database } from "../src/db/client";
import { toProduct } from "../src/db/product-row";
import { products } from "../src/db/schema";

/** A fresh lower-case word no other test uses (storage is shared by the tests of a file). */
export function uniqueWord(prefix = "w"): string {
  return `${prefix}${crypto
    .randomUUID()
    .replaceAll("-", "")
    .slice(0, 12)
    .replace(/[0-9]/g, (d) => "abcdefghij"[Number(d)] ?? "k")}`;
}

export interface Seed {
  name?: string;
  description?: string;
  price?: number;
  currency?: string;
  category?: string;
  stock?: number;
  tags?: string[];
  isActive?: boolean;
  maxPerOrder?: number;
  createdAt?: Date;
}

/** Inserts products straight into D1 (with chosen timestamps), as the catalog's known test data. */
export async function insertProducts(rows: Seed[]): Promise<Product[]> {
  const db = database(env.DB);
  const values = rows.map((row, i) => {
    const createdAt = row.createdAt ?? new Date(Date.UTC(2025, 0, 1) + i * 60_000);
    return {
      id: crypto.randomUUID(),
      name: row.name ?? `Thing ${i}`,
      description: row.description ?? "",
      price: row.price ?? 1000,
      currency: row.currency ?? "USD",
      category: row.category ?? "Misc",
      stock: row.stock ?? 10,
      images: "[]",
      tags: JSON.stringify(row.tags ?? []),
      isActive: row.isActive ?? true,
      maxPerOrder: row.maxPerOrder ?? null,
      createdAt,
      updatedAt: createdAt,
    };
  });
  // One statement per row (D1 binds at most 100 parameters per statement), all in one batch.
  const [first, ...rest] = values.map((value) => db.insert(products).values(value).returning());
  if (!first) return [];
  const inserted = await db.batch([first, ...rest]);
  return inserted.flat().map(toProduct);
}

export const admin: Identity = { userId: "admin-1", role: "admin" };
export const user: Identity = { userId: "user-1", role: "user" };

/** Calls the service as the gateway would, with the caller `as` signed for the request. */
export async function call(path: string, init: RequestInit & { as?: Identity } = {}): Promise<Response> {
  const { as, ...rest } = init;
  return exports.default.fetch(`http://products${path}`, {
    ...rest,
    headers: await forwardedAs(as, init.headers),
  });
}

/** A JSON request as the gateway would forward it. */
export function send(method: string, path: string, body: unknown, as: Identity | null = admin) {
  return call(path, {
    method,
    as: as ?? undefined,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

export interface ListBody {
  products: Product[];
  pagination: ProductPagination;
}

/** GET a list and return its body, asserting 200. */
export async function list(query: Record<string, string | number>): Promise<ListBody> {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const response = await call(`/api/products?${params}`);
  if (response.status !== 200) throw new Error(`list answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** A product's stock as stored (undefined for no id or no product). */
export async function stockOf(id: string | undefined): Promise<number | undefined> {
  if (!id) return undefined;
  const row = await database(env.DB)
    .select({ stock: products.stock })
    .from(products)
    .where(eq(products.id, id))
    .get();
  return row?.stock;
}

/** A fresh order id. */
export const orderId = () => `order-${crypto.randomUUID()}`;
