import { demoPicture } from "../../scripts/lib/seed-pictures.ts";
import { SEED_ADMIN } from "../../workers/users/seed/seed.ts";
import { CLIENT_IP } from "../lib/stack.ts";

/** What the shop scenarios need from a freshly seeded stack. */
export interface ShopData {
  /** The gateway's URL and the seeded admin's token (a line's own setup creates more data). */
  base: string;
  adminToken: string;
  /** A product with a billion units in stock, created by the admin: orders never run out. */
  hotProductId: string;
  /** The 320-pixel variant of the hot product's picture, uploaded by the admin: `/media/<sha256>-320.webp`. */
  hotPicture: string;
  /** The hot product and more like it (a billion units each): what carts are filled with. */
  cartProductIds: string[];
  /** Guest carts, one per connection at most: a cart is one Durable Object, as a customer's is. */
  cartIds: string[];
  /** Active product ids of the catalog (detail pages). */
  productIds: string[];
  /** Search words that match several products (the catalog's most common tags). */
  searchTerms: string[];
  /** Signed-in shoppers. */
  users: { email: string; password: string; token: string }[];
}

interface ProductLike {
  id: string;
  tags: string[];
}

/** A JSON call to the stack as a client would make it; throws on any status but 2xx. */
export async function call(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? "GET",
    headers: {
      "cf-connecting-ip": CLIENT_IP,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`setup: ${init.method ?? "GET"} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Uploads a demo picture (as `pnpm dev` draws them) to a product; answers its 320-pixel variant's path. */
async function uploadPicture(base: string, token: string, productId: string): Promise<string> {
  const response = await fetch(`${base}/api/products/${productId}/images`, {
    method: "POST",
    headers: {
      "cf-connecting-ip": CLIENT_IP,
      authorization: `Bearer ${token}`,
      "content-type": "image/jpeg",
    },
    body: new Uint8Array(await demoPicture({ id: productId, category: "Bench" })),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`setup: picture upload answered ${response.status}: ${text}`);
  const [url] = (JSON.parse(text) as { product: { images: string[] } }).product.images;
  if (!url) throw new Error("setup: the uploaded picture is not shown");
  return url.replace(/\.jpg$/, "-320.webp");
}

/** The `n` most frequent words, ties by name. */
export function mostCommon(words: string[], n: number): string[] {
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([w]) => w);
}

/** A product with a billion units in stock. */
async function benchProduct(base: string, token: string, name: string, price: number): Promise<string> {
  const { product } = (await call(base, "/api/products", {
    method: "POST",
    token,
    body: {
      name,
      description: "Always in stock: every bench order buys one.",
      price,
      currency: "USD",
      category: "Bench",
      stock: 1_000_000_000,
      images: [],
      tags: ["bench"],
    },
  })) as { product: { id: string } };
  return product.id;
}

// Ten products of a billion units: a cart line takes at most 100 units, so a connection's cart takes 1,000 adds.
const CART_PRODUCTS = 10;
// Guest carts: more than the connections of any line.
const CARTS = 64;

/** Signs in the seeded admin, creates the hot products, the shoppers and the carts, reads the catalog. */
export async function prepareShop(base: string, shoppers: number): Promise<ShopData> {
  const admin = (await call(base, "/api/users/login", { method: "POST", body: SEED_ADMIN })) as {
    token: string;
  };
  const hotProductId = await benchProduct(base, admin.token, "Bench Hot Item", 1999);
  const cartProductIds = [hotProductId];
  for (let i = 1; i < CART_PRODUCTS; i++) {
    cartProductIds.push(await benchProduct(base, admin.token, `Bench Cart Item ${i}`, 500 + i));
  }
  const cartIds: string[] = [];
  for (let i = 0; i < CARTS; i++) {
    const { cart } = (await call(base, "/api/carts", { method: "POST" })) as { cart: { id: string } };
    cartIds.push(cart.id);
  }

  const hotPicture = await uploadPicture(base, admin.token, hotProductId);

  const users: ShopData["users"] = [];
  const run = Date.now().toString(36);
  for (let i = 0; i < shoppers; i++) {
    const email = `bench-${run}-${i}@example.com`;
    const password = `bench-password-${i}-${run}`;
    const registered = (await call(base, "/api/users/register", {
      method: "POST",
      body: { email, password, firstName: "Bench", lastName: `Shopper ${i}` },
    })) as { token: string };
    users.push({ email, password, token: registered.token });
  }

  const { products } = (await call(base, "/api/products?limit=100")) as { products: ProductLike[] };
  const productIds = products.map((p) => p.id).filter((id) => !cartProductIds.includes(id));
  const searchTerms = mostCommon(
    products.flatMap((p) => p.tags).filter((t) => t !== "bench"),
    8,
  );
  if (productIds.length === 0 || searchTerms.length === 0) throw new Error("setup: the catalog is empty");
  return {
    base,
    adminToken: admin.token,
    hotProductId,
    hotPicture,
    cartProductIds,
    cartIds,
    productIds,
    searchTerms,
    users,
  };
}

/** A flash sale: one product of `units` units and its buyers, each signed in (prepared per stack, lazily). */
export interface FlashSale {
  units: number;
  productId: string;
  buyers: { token: string }[];
  /** When the first order was sent and the last one created (performance.now(), ms). */
  firstSentAt: number | undefined;
  lastCreatedAt: number | undefined;
}

/**
 * Creates the sale's product (`units` in stock) and registers `buyers` shoppers (one argon2id each, about a
 * fifth of a second of workerd's thread: only the flash-sale line pays for them).
 */
export async function prepareFlashSale(data: ShopData, sale: FlashSale, buyers: number): Promise<void> {
  const { product } = (await call(data.base, "/api/products", {
    method: "POST",
    token: data.adminToken,
    body: {
      name: "Bench Flash Sale Item",
      description: "A limited run: the flash sale sells every unit, then refuses.",
      price: 4999,
      currency: "USD",
      category: "Bench",
      stock: sale.units,
      images: [],
      tags: ["bench"],
    },
  })) as { product: { id: string } };
  const run = Date.now().toString(36);
  const tokens: { token: string }[] = [];
  // A few at a time: each is an argon2id on workerd's one thread, and the gateway gives up after 10 s.
  for (let i = 0; i < buyers; i += 4) {
    const batch = Array.from({ length: Math.min(4, buyers - i) }, (_, k) =>
      call(data.base, "/api/users/register", {
        method: "POST",
        body: {
          email: `flash-${run}-${i + k}@example.com`,
          password: `flash-password-${i + k}-${run}`,
          firstName: "Flash",
          lastName: `Buyer ${i + k}`,
        },
      }),
    );
    for (const r of await Promise.all(batch)) tokens.push({ token: (r as { token: string }).token });
  }
  sale.productId = product.id;
  sale.buyers = tokens;
  sale.firstSentAt = undefined;
  sale.lastCreatedAt = undefined;
}
