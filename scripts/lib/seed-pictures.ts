// Demo pictures for `pnpm dev`: one picture per demo product, drawn here (no network) and uploaded through the
// running gateway as an admin would (POST /api/products/:id/images). Idempotent and quick on a second run: only
// demo products without a picture get one.
import sharp from "sharp";
import { SEED_ADMIN } from "../../workers/users/seed/seed.ts";

const SIZE = 960;
const DEMO_ID = /^prod-\d{3}-/;

interface DemoProduct {
  id: string;
  name: string;
  category: string;
  images: string[];
}

function hashOf(text: string): number {
  let hash = 2166136261;
  for (const ch of text) hash = Math.imul(hash ^ (ch.codePointAt(0) ?? 0), 16777619);
  return hash >>> 0;
}

/** A simple, distinct picture per product: its own colours and shapes, from a hash of its id. */
export function demoSvg(product: { id: string; category: string }): string {
  const h = hashOf(product.id);
  const hue = h % 360;
  const categoryHue = hashOf(product.category) % 360;
  const shapes: string[] = [];
  for (let i = 0; i < 5; i++) {
    const v = hashOf(`${product.id}:${i}`);
    const x = 120 + (v % 720);
    const y = 120 + ((v >>> 10) % 720);
    const r = 60 + ((v >>> 20) % 160);
    const fill = `hsl(${(hue + i * 47) % 360} 70% ${45 + (i % 3) * 12}%)`;
    shapes.push(
      i % 2 === 0
        ? `<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}" fill-opacity="0.85"/>`
        : `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}" rx="${r / 4}" fill="${fill}" fill-opacity="0.8" transform="rotate(${v % 90} ${x} ${y})"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="hsl(${categoryHue} 60% 92%)"/><stop offset="1" stop-color="hsl(${hue} 55% 75%)"/>
  </linearGradient></defs>
  <rect width="${SIZE}" height="${SIZE}" fill="url(#g)"/>${shapes.join("")}
</svg>`;
}

/** The product's demo picture as a JPEG. */
export function demoPicture(product: { id: string; category: string }): Promise<Buffer> {
  return sharp(Buffer.from(demoSvg(product)))
    .jpeg({ quality: 82 })
    .toBuffer();
}

async function json<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function demoProductsWithoutPictures(base: string, token: string): Promise<DemoProduct[]> {
  const found: DemoProduct[] = [];
  for (let page = 1; ; page++) {
    const list = await json<{ products: DemoProduct[]; pagination: { pages: number } }>(
      await fetch(
        `${base}/api/products?limit=100&page=${page}&includeInactive=true&sortBy=name&sortOrder=asc`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      ),
      "list products",
    );
    found.push(...list.products.filter((p) => DEMO_ID.test(p.id) && p.images.length === 0));
    if (page >= list.pagination.pages) return found;
  }
}

/** Uploads a demo picture to every demo product that has none; answers how many it uploaded. */
export async function seedPictures(base: string): Promise<number> {
  const login = await json<{ token: string }>(
    await fetch(`${base}/api/users/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(SEED_ADMIN),
    }),
    "admin login",
  );
  const todo = await demoProductsWithoutPictures(base, login.token);
  const count = todo.length;
  // A few at a time: each upload is decoded and resized by the Images binding (sharp, locally).
  const workers = Array.from({ length: 4 }, async () => {
    for (let product = todo.shift(); product; product = todo.shift()) {
      await json(
        await fetch(`${base}/api/products/${encodeURIComponent(product.id)}/images`, {
          method: "POST",
          headers: { authorization: `Bearer ${login.token}`, "content-type": "image/jpeg" },
          body: new Uint8Array(await demoPicture(product)),
        }),
        `upload the picture of ${product.id}`,
      );
    }
  });
  await Promise.all(workers);
  return count;
}
