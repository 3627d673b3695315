// Product pictures through the real stack: an admin uploads through the gateway, the picture is served
// same-origin at /media/… from R2 and then from the edge cache; the demo seed gives every demo product one.
import { describe, expect, inject, it } from "vitest";
import { makePng, randomRgb } from "../packages/worker-kit/testing/png";
import { seedPictures } from "../scripts/lib/seed-pictures";
import { adminToken, api, expectJson, registerUser } from "./client";

interface Product {
  id: string;
  images: string[];
  isActive: boolean;
}

async function newProduct(token: string): Promise<Product> {
  const response = await api("/api/products", {
    method: "POST",
    token,
    json: {
      name: `E2E poster ${crypto.randomUUID().slice(0, 8)}`,
      price: 1500,
      category: "e2e-media",
      stock: 3,
    },
  });
  return (await expectJson<{ product: Product }>(response, 201)).product;
}

function upload(id: string, token: string | undefined, body: RequestInit["body"], type = "image/png") {
  return api(`/api/products/${id}/images`, {
    method: "POST",
    token,
    headers: { "content-type": type },
    body,
  });
}

describe("product pictures through the gateway", () => {
  it("an admin uploads a picture; it is served same-origin, immutable, with an ETag, 304 and cache hits", async () => {
    const token = await adminToken();
    const product = await newProduct(token);
    const png = await makePng(640, 480, randomRgb(), randomRgb());
    const { product: shown } = await expectJson<{ product: Product }>(
      await upload(product.id, token, png),
      201,
    );
    const [url = ""] = shown.images;
    expect(url).toMatch(/^\/media\/[0-9a-f]{64}\.png$/);
    const page = await expectJson<{ product: Product }>(await api(`/api/products/${product.id}`), 200);
    expect(page.product.images).toEqual([url]);

    const first = await api(url);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/png");
    expect(first.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await first.arrayBuffer())).toEqual(png);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    const again = await api(url);
    expect(again.headers.get("x-cache")).toBe("HIT");
    await again.arrayBuffer();
    expect((await api(url, { headers: { "if-none-match": etag } })).status).toBe(304);
    for (const width of [320, 960]) {
      const variant = await api(url.replace(/\.png$/, `-${width}.webp`));
      expect(variant.status).toBe(200);
      expect(variant.headers.get("content-type")).toBe("image/webp");
      await variant.arrayBuffer();
    }
  });

  it("refuses an SVG (415), a 30 MB body (413), a user (403) and an anonymous caller (401), storing nothing", async () => {
    const token = await adminToken();
    const product = await newProduct(token);
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>';
    expect((await upload(product.id, token, svg, "image/svg+xml")).status).toBe(415);
    const huge = await upload(product.id, token, new Uint8Array(30 * 1024 * 1024));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ code: "payload_too_large" });
    const png = await makePng(8, 8, randomRgb(), randomRgb());
    const user = await registerUser();
    expect((await upload(product.id, user.token, png)).status).toBe(403);
    expect((await upload(product.id, undefined, png)).status).toBe(401);
    const page = await expectJson<{ product: Product }>(await api(`/api/products/${product.id}`), 200);
    expect(page.product.images).toEqual([]);
  });

  it("answers 404 for unknown pictures and path tricks", async () => {
    for (const path of [
      `/media/${"0".repeat(64)}.png`,
      "/media/..%2F..%2Fwrangler.toml",
      "/media/%2e%2e%2f.dev.vars",
      "/media/x.svg",
    ]) {
      const response = await api(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type"), path).toBe("application/problem+json");
    }
  });

  it("lists deactivated products for an admin with includeInactive=true, and for no one else", async () => {
    const token = await adminToken();
    const product = await newProduct(token);
    expect((await api(`/api/products/${product.id}`, { method: "DELETE", token })).status).toBe(204);
    const ids = async (init: { token?: string }) => {
      const list = await expectJson<{ products: Product[] }>(
        await api("/api/products?category=e2e-media&includeInactive=true&limit=100", init),
        200,
      );
      return list.products.map((p) => p.id);
    };
    expect(await ids({ token })).toContain(product.id);
    expect(await ids({})).not.toContain(product.id);
  });
});

describe("demo pictures", () => {
  it("the seed gives every demo product a picture through the upload route, and a second run adds none", async () => {
    const base = inject("baseUrl");
    await seedPictures(base);
    const token = await adminToken();
    const list = await expectJson<{ products: Product[] }>(
      // Oldest first: the demo products come before whatever the other test files created.
      await api("/api/products?limit=100&includeInactive=true&sortBy=createdAt&sortOrder=asc", { token }),
      200,
    );
    const demo = list.products.filter((p) => /^prod-\d{3}-/.test(p.id));
    expect(demo.length).toBeGreaterThanOrEqual(50);
    expect(demo.every((p) => p.images.length === 1)).toBe(true);
    expect(new Set(demo.map((p) => p.images[0])).size).toBe(demo.length);
    const picture = await api(demo[0]?.images[0] ?? "");
    expect(picture.headers.get("content-type")).toBe("image/jpeg");
    await picture.arrayBuffer();
    expect(await seedPictures(base)).toBe(0);
  }, 180_000);
});
