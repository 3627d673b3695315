import { env } from "cloudflare:workers";
import { ImageLimits, type Product } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { makePng } from "../../../packages/worker-kit/testing/png";
import { admin, call, insertProducts, send, user } from "./helpers";
import { converted, freshPng, objectsOf, upload, uploaded } from "./images";

async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as { code: string; detail: string; errors?: { path: string }[] };
}

const product = async () => (await insertProducts([{ name: "Pictured" }]))[0] as Product;
const MEDIA_URL = /^\/media\/[0-9a-f]{64}\.(png|jpg|webp)$/;

describe("POST /api/products/:id/images", () => {
  it("stores a PNG, its original and two WebP variants, and shows it on the product", async () => {
    const { id } = await product();
    const png = await freshPng(1200, 900);
    const shown = await uploaded(id, png);
    expect(shown.images).toHaveLength(1);
    const [url = ""] = shown.images;
    expect(url).toMatch(MEDIA_URL);
    const hash = url.slice(7, 71);
    // The key is the SHA-256 of the bytes.
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", png));
    expect(hash).toBe(Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""));
    expect(await objectsOf(url)).toEqual([`${hash}-320.webp`, `${hash}-960.webp`, `${hash}.png`]);
    const original = await env.MEDIA.get(`${hash}.png`);
    expect(original?.httpMetadata?.contentType).toBe("image/png");
    expect(new Uint8Array((await original?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(png);
    for (const width of [320, 960]) {
      const variant = await env.MEDIA.get(`${hash}-${width}.webp`);
      expect(variant?.httpMetadata?.contentType).toBe("image/webp");
      const info = await env.IMAGES.info((variant as R2ObjectBody).body);
      expect(info).toMatchObject({ format: "image/webp", width, height: (width * 3) / 4 });
    }
    const read = await call(`/api/products/${id}`);
    expect(((await read.json()) as { product: Product }).product.images).toEqual([url]);
  });

  it("accepts JPEG and WebP, keeps the order of uploads, and never enlarges a small picture", async () => {
    const { id } = await product();
    const png = await freshPng(100, 50);
    const jpeg = await converted(png, "image/jpeg");
    const webp = await converted(await freshPng(100, 50), "image/webp");
    await uploaded(id, jpeg, "image/jpeg");
    const shown = await uploaded(id, webp, "image/webp");
    expect(shown.images.map((u) => u.slice(-4))).toEqual([".jpg", "webp"]);
    const small = await env.MEDIA.get(`${shown.images[0]?.slice(7, 71)}-960.webp`);
    expect(await env.IMAGES.info((small as R2ObjectBody).body)).toMatchObject({ width: 100, height: 50 });
  });

  it("stores nothing new for the same bytes again, and leaves a product that shows them unchanged", async () => {
    const [a, b] = (await insertProducts([{ name: "A" }, { name: "B" }])) as [Product, Product];
    const png = await freshPng();
    const first = await uploaded(a.id, png);
    const [url = ""] = first.images;
    const before = await env.MEDIA.get(url.slice(7));
    const again = await uploaded(a.id, png);
    expect(again.images).toEqual(first.images);
    expect(again.updatedAt).toBe(first.updatedAt);
    // Another product may show the same picture: one set of objects, written once.
    expect((await uploaded(b.id, png)).images).toEqual([url]);
    expect(await objectsOf(url)).toHaveLength(3);
    expect((await env.MEDIA.get(url.slice(7)))?.uploaded).toEqual(before?.uploaded);
  });

  it.each([
    ["an SVG", "image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ["an SVG declared as PNG", "image/png", '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ["a GIF", "image/gif", "GIF89a\u0001\u0000\u0001\u0000"],
    ["HTML", "text/html", "<html><body>hi</body></html>"],
    ["a zip", "application/zip", "PK\u0003\u0004\u0014\u0000\u0000\u0000"],
    ["no content type", "", "\u0089PNG"],
    ["an empty body", "image/png", ""],
  ])("refuses %s with 415 and stores nothing", async (_what, type, body) => {
    const { id } = await product();
    const response = await upload(id, body, type);
    expect((await problem(response, 415)).code).toBe("unsupported_media_type");
    expect((await call(`/api/products/${id}`).then((r) => r.json())) as { product: Product }).toMatchObject({
      product: { images: [] },
    });
  });

  it("refuses a PNG header on HTML, a truncated PNG and a JPEG declared as PNG (415), storing nothing", async () => {
    const { id } = await product();
    const png = await freshPng(300, 200);
    const html = new TextEncoder().encode("<html><body>not a picture</body></html>");
    const forged = new Uint8Array([...png.subarray(0, 33), ...html]);
    const truncated = png.slice(0, png.length - 40);
    const jpeg = await converted(png, "image/jpeg");
    const objects = (await env.MEDIA.list()).objects.length;
    for (const [body, type] of [
      [forged, "image/png"],
      [truncated, "image/png"],
      [jpeg, "image/png"],
      [png, "image/webp"],
    ] as const) {
      const answer = await problem(await upload(id, body, type), 415);
      expect(answer.code).toBe("unsupported_media_type");
      // The binding's own message (a Node stack trace locally) never reaches the client.
      expect(answer.detail).not.toMatch(/at |sharp|vips|Error/);
    }
    expect((await env.MEDIA.list()).objects.length).toBe(objects);
    const { product: after } = (await (await call(`/api/products/${id}`)).json()) as { product: Product };
    expect(after.images).toEqual([]);
  });

  it("refuses more than 5 MiB (413) and more than 8,000 pixels a side (422)", async () => {
    const { id } = await product();
    const png = await freshPng();
    const big = new Uint8Array(ImageLimits.bytes + 1);
    big.set(png);
    expect((await problem(await upload(id, big), 413)).code).toBe("payload_too_large");
    // A body without a declared length is read only up to the limit.
    const stream = new Blob([big]).stream();
    expect((await problem(await upload(id, stream), 413)).code).toBe("payload_too_large");
    const wide = await makePng(ImageLimits.side + 1, 2);
    expect((await problem(await upload(id, wide), 422)).code).toBe("image_too_large");
    expect(await objectsOf(`/media/${"0".repeat(64)}`)).toEqual([]);
  });

  it("answers 404 for an unknown product and 409 past ten pictures", async () => {
    expect((await problem(await upload("no-such-product", await freshPng()), 404)).code).toBe("not_found");
    const { id } = await product();
    for (let i = 0; i < 10; i++) await uploaded(id, await freshPng(8, 8));
    expect((await problem(await upload(id, await freshPng(8, 8)), 409)).code).toBe("too_many_images");
  });

  it("is for admins only: 401 anonymous, 403 for a user, before reading the body", async () => {
    const { id } = await product();
    const png = await freshPng();
    expect((await problem(await upload(id, png, "image/png", null), 401)).code).toBe("unauthorized");
    expect((await problem(await upload(id, png, "image/png", user), 403)).code).toBe("forbidden");
  });

  it("retires the cached product page and lists", async () => {
    const [p] = (await insertProducts([{ name: "Cached", category: "pictures-cache" }])) as [Product];
    const page = async () => call(`/api/products/${p.id}`);
    const listed = async () => call("/api/products?category=pictures-cache");
    await page();
    await listed();
    expect((await page()).headers.get("x-cache")).toBe("HIT");
    expect((await listed()).headers.get("x-cache")).toBe("HIT");
    const { images } = await uploaded(p.id, await freshPng());
    const fresh = await page();
    expect(fresh.headers.get("x-cache")).toBe("MISS");
    expect(((await fresh.json()) as { product: Product }).product.images).toEqual(images);
    const list = (await (await listed()).json()) as { products: Product[] };
    expect(list.products[0]?.images).toEqual(images);
  });
});

describe("DELETE /api/products/:id/images/:n, and reordering with PATCH", () => {
  it("removes the picture at index n; 404 past the end or for an unknown product; 400 for a bad n", async () => {
    const { id } = await product();
    await uploaded(id, await freshPng());
    const { images } = await uploaded(id, await freshPng());
    const removed = await call(`/api/products/${id}/images/0`, { method: "DELETE", as: admin });
    expect(removed.status).toBe(200);
    expect(((await removed.json()) as { product: Product }).product.images).toEqual([images[1]]);
    const page = (await (await call(`/api/products/${id}`)).json()) as { product: Product };
    expect(page.product.images).toEqual([images[1]]);
    const past = await call(`/api/products/${id}/images/1`, { method: "DELETE", as: admin });
    expect((await problem(past, 404)).detail).toMatch(/Picture/);
    const unknown = await call("/api/products/nope/images/0", { method: "DELETE", as: admin });
    expect((await problem(unknown, 404)).detail).toMatch(/Product/);
    for (const n of ["-1", "x", "10"]) {
      const bad = await call(`/api/products/${id}/images/${n}`, { method: "DELETE", as: admin });
      expect(bad.status).toBe(400);
    }
    const asUser = await call(`/api/products/${id}/images/0`, { method: "DELETE", as: user });
    expect(asUser.status).toBe(403);
  });

  it("reorders and drops pictures with PATCH images, and refuses a picture that is not the product's", async () => {
    const [a, b] = (await insertProducts([{ name: "A" }, { name: "B" }])) as [Product, Product];
    await uploaded(a.id, await freshPng());
    const { images } = await uploaded(a.id, await freshPng());
    const other = (await uploaded(b.id, await freshPng())).images[0] ?? "";
    const reordered = await send("PATCH", `/api/products/${a.id}`, { images: [images[1], images[0]] });
    expect(reordered.status).toBe(200);
    expect(((await reordered.json()) as { product: Product }).product.images).toEqual([images[1], images[0]]);
    const foreign = await send("PATCH", `/api/products/${a.id}`, { images: [images[0], other] });
    const body = await problem(foreign, 400);
    expect(body.errors?.map((e) => e.path)).toEqual(["images.1"]);
    const dropped = await send("PATCH", `/api/products/${a.id}`, { images: [images[0]] });
    expect(((await dropped.json()) as { product: Product }).product.images).toEqual([images[0]]);
    const created = await send("POST", "/api/products", {
      name: "Copy",
      price: 1,
      category: "c",
      stock: 1,
      images: [other],
    });
    expect((await problem(created, 400)).errors?.map((e) => e.path)).toEqual(["images.0"]);
  });
});
