import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makePng, randomRgb } from "../../../packages/worker-kit/testing/png";
import { type Echo, gateway, signToken } from "./helpers";

/** Stores a fresh picture in the bucket as products would, under its SHA-256; answers its key and bytes. */
async function storedPicture(): Promise<{ key: string; bytes: Uint8Array }> {
  const bytes = await makePng(16, 16, randomRgb(), randomRgb());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const key = `${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}.png`;
  await env.MEDIA.put(key, bytes, { httpMetadata: { contentType: "image/png" } });
  return { key, bytes };
}

describe("GET /media/<key>", () => {
  it("serves a stored picture with its type, an immutable cache, an ETag and nosniff", async () => {
    const { key, bytes } = await storedPicture();
    const response = await gateway(`/media/${key}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("etag")).toMatch(/^"[0-9a-f]+"$/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-cache")).toBe("MISS");
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it("answers a picture asked again from the cache, without R2", async () => {
    const { key, bytes } = await storedPicture();
    const first = await gateway(`/media/${key}`);
    await first.arrayBuffer();
    // Gone from R2: only the cache can still answer.
    await env.MEDIA.delete(key);
    const again = await gateway(`/media/${key}?any=query`);
    expect(again.status).toBe(200);
    expect(again.headers.get("x-cache")).toBe("HIT");
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(again.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(bytes);
  });

  it("answers 304 to If-None-Match with its ETag, from R2 and from the cache; 200 to another ETag", async () => {
    const { key } = await storedPicture();
    const first = await gateway(`/media/${key}`);
    await first.arrayBuffer();
    const etag = first.headers.get("etag") ?? "";
    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const response = await gateway(`/media/${key}`, { headers: { "if-none-match": tag } });
      expect(response.status).toBe(304);
      expect(response.headers.get("etag")).toBe(etag);
      expect(response.headers.get("cache-control")).toContain("immutable");
      expect(await response.text()).toBe("");
    }
    const other = await gateway(`/media/${key}`, { headers: { "if-none-match": '"other"' } });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
    const { key: fresh } = await storedPicture();
    const missed = await gateway(`/media/${fresh}`);
    const revalidated = await gateway(`/media/${fresh}`, {
      headers: { "if-none-match": missed.headers.get("etag") ?? "" },
    });
    await missed.arrayBuffer();
    expect(revalidated.status).toBe(304);
  });

  it("answers HEAD with the headers and no body", async () => {
    const { key, bytes } = await storedPicture();
    const response = await gateway(`/media/${key}`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(bytes.length));
    expect(await response.text()).toBe("");
  });

  it("answers 404 to an unknown key and to any path trick, without asking R2", async () => {
    const { key } = await storedPicture();
    const hash = key.slice(0, 64);
    const paths = [
      `/media/${"0".repeat(64)}.png`,
      `/media/${"0".repeat(64)}-320.webp`,
      `/media/${hash}.PNG`,
      `/media/${hash.toUpperCase()}.png`,
      `/media/${hash}.svg`,
      `/media/${hash}-100.webp`,
      `/media/${key}/x`,
      `/media/x/${key}`,
      `/media/..%2F${key}`,
      `/media/%2e%2e%2f${key}`,
      `/media/${hash}%2Epng`,
      `/media/${key}%00`,
      `/media/${key}%2F..%2F..%2Fwrangler.toml`,
      "/media/..%2F..%2Fwrangler.toml",
      "/media/",
      "/media",
    ];
    for (const path of paths) {
      const response = await gateway(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type"), path).toBe("application/problem+json");
    }
  });
});

describe("request bodies by route", () => {
  const upload = (size: number, chunked = false) => {
    const bytes = new Uint8Array(size);
    const body = chunked ? new Blob([bytes]).stream() : bytes;
    return signToken({ role: "admin" }).then((token) =>
      gateway("/api/products/p-1/images", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "image/png" },
        body,
      }),
    );
  };

  it("forwards a picture upload up to 5 MiB, whole", async () => {
    const response = await upload(5 * 1024 * 1024);
    expect(response.status).toBe(200);
    const echo = (await response.json()) as Echo;
    expect(echo.path).toBe("/api/products/p-1/images");
    expect(echo.body?.length).toBe(5 * 1024 * 1024);
  });

  it("refuses a picture upload over 5 MiB with a 413, declared or chunked", async () => {
    for (const chunked of [false, true]) {
      const response = await upload(5 * 1024 * 1024 + 1, chunked);
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ code: "payload_too_large" });
    }
    const huge = await upload(30 * 1024 * 1024);
    expect(huge.status).toBe(413);
  });

  it("keeps 1 MiB for every other route, the product's other writes included", async () => {
    const token = await signToken({ role: "admin" });
    const response = await gateway("/api/products/p-1", {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
      body: new Uint8Array(1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
  });
});
