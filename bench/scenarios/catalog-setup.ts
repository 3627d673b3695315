import { DEMO_CATALOG } from "../../workers/products/seed/catalog.ts";
import { SEED_ADMIN } from "../../workers/users/seed/seed.ts";
import { call, mostCommon } from "./shop-setup.ts";

/** What the catalog lines need from a freshly started stack, at either catalog size. */
export interface CatalogData {
  adminToken: string;
  shopperToken: string;
  /** A product with a billion units in stock: every bench order reserves one, every cancel releases it. */
  hotProductId: string;
  /** Products the admin edits (the first page of the catalog). */
  productIds: string[];
  /** Cursors of deep pages, newest first, found by following `nextCursor` from the first page. */
  cursors: string[];
}

// The same words at both sizes: the demo catalog's most common tag, and its first two letters as a prefix.
const TAGS = Object.values(DEMO_CATALOG).flatMap((items) => items.flatMap(([, , , , tags]) => [...tags]));
export const COMMON_WORD = mostCommon(TAGS, 1)[0] ?? "kitchen";
export const PREFIX = COMMON_WORD.slice(0, 2);
/** The category of the most demo products (a category filter at both sizes). */
export const CATEGORY =
  Object.entries(DEMO_CATALOG).sort(
    (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
  )[0]?.[0] ?? "Books";

/** Signs the admin in, creates the hot product and a shopper, reads the first page and `cursors` deep cursors. */
export async function prepareCatalog(base: string, wanted: { cursors: number }): Promise<CatalogData> {
  const admin = (await call(base, "/api/users/login", { method: "POST", body: SEED_ADMIN })) as {
    token: string;
  };
  const { product } = (await call(base, "/api/products", {
    method: "POST",
    token: admin.token,
    body: { name: "Bench Hot Item", price: 1999, category: "Bench", stock: 1_000_000_000, tags: ["bench"] },
  })) as { product: { id: string } };
  const run = Date.now().toString(36);
  const shopper = (await call(base, "/api/users/register", {
    method: "POST",
    body: {
      email: `catalog-${run}@example.com`,
      password: `catalog-password-${run}`,
      firstName: "C",
      lastName: "S",
    },
  })) as { token: string };
  const first = (await call(base, "/api/products?limit=20")) as {
    products: { id: string }[];
    pagination: { nextCursor: string | null };
  };
  const cursors: string[] = [];
  for (let next = first.pagination.nextCursor; next && cursors.length < wanted.cursors; ) {
    cursors.push(next);
    const page = (await call(base, `/api/products?limit=20&cursor=${encodeURIComponent(next)}`)) as {
      pagination: { nextCursor: string | null };
    };
    next = page.pagination.nextCursor;
  }
  const productIds = first.products.map((p) => p.id).filter((id) => id !== product.id);
  if (productIds.length === 0) throw new Error("setup: the catalog is empty");
  return {
    adminToken: admin.token,
    shopperToken: shopper.token,
    hotProductId: product.id,
    productIds,
    cursors,
  };
}
