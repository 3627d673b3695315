import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Product } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { publishChange } from "../src/cache/catalog-cache";
import { database } from "../src/db/client";
import { releaseStock } from "../src/stock/release";
import { reserveStock } from "../src/stock/reserve";
import { admin, call, insertProducts } from "./helpers";

// Admin stock edits against reservations: a product's ETag is its row version, which every reservation moves,
// so an edit sent with If-Match never overwrites stock an order took since the admin read it.

async function read(id: string): Promise<{ product: Product; etag: string }> {
  const response = await call(`/api/products/${id}`);
  expect(response.status).toBe(200);
  return {
    product: ((await response.json()) as { product: Product }).product,
    etag: response.headers.get("etag") ?? "",
  };
}

function edit(method: "PATCH" | "PUT", id: string, body: unknown, ifMatch?: string) {
  return call(`/api/products/${id}`, {
    method,
    as: admin,
    headers: { "content-type": "application/json", ...(ifMatch ? { "if-match": ifMatch } : {}) },
    body: JSON.stringify(body),
  });
}

// As ProductsRpc does: the stock change, then its versions published (so this isolate's cache sees it at once).
async function published<T extends Parameters<typeof publishChange>[2]>(change: Promise<T>): Promise<T> {
  const done = await change;
  const ctx = createExecutionContext();
  await publishChange(env, ctx, done);
  await waitOnExecutionContext(ctx);
  return done;
}

const reserve = (productId: string, quantity: number, orderId: string = crypto.randomUUID()) =>
  published(reserveStock(database(env.DB), orderId, [{ productId, quantity }], new Date()));

describe("admin stock edits and reservations", () => {
  it("gives every product answer an ETag that a reservation changes", async () => {
    const [product] = await insertProducts([{ stock: 10 }]);
    if (!product) throw new Error("no product");
    const before = await read(product.id);
    expect(before.etag).toMatch(/^"\d+"$/);
    await reserve(product.id, 2);
    const after = await read(product.id);
    expect(after.product.stock).toBe(8);
    expect(after.etag).not.toBe(before.etag);
    const patched = await edit("PATCH", product.id, { stock: 9 }, after.etag);
    expect(patched.status).toBe(200);
    expect(patched.headers.get("etag")).toMatch(/^"\d+"$/);
    expect(patched.headers.get("etag")).not.toBe(after.etag);
    expect((await read(product.id)).etag).toBe(patched.headers.get("etag"));
  });

  it("refuses an edit whose If-Match a reservation made stale: 412 with the current ETag, nothing written", async () => {
    const [product] = await insertProducts([{ stock: 10 }]);
    if (!product) throw new Error("no product");
    const seen = await read(product.id);
    await reserve(product.id, 3);
    for (const method of ["PATCH", "PUT"] as const) {
      const body =
        method === "PUT" ? { name: "Again", price: 100, category: "Misc", stock: 15 } : { stock: 15 };
      const refused = await edit(method, product.id, body, seen.etag);
      expect(refused.status).toBe(412);
      expect(await refused.json()).toMatchObject({ status: 412, code: "precondition_failed" });
      expect(refused.headers.get("etag")).toBe((await read(product.id)).etag);
    }
    expect((await read(product.id)).product.stock).toBe(7);
    // A weak or foreign tag never matches; `*` matches any current version.
    expect((await edit("PATCH", product.id, { stock: 1 }, `W/${seen.etag}`)).status).toBe(412);
    expect((await edit("PATCH", product.id, { stock: 6 }, "*")).status).toBe(200);
    expect((await edit("PATCH", crypto.randomUUID(), { stock: 6 }, "*")).status).toBe(404);
    expect((await edit("PATCH", crypto.randomUUID(), { stock: 6 }, seen.etag)).status).toBe(404);
  });

  it("never loses a reservation to a concurrent guarded edit, and the ledger adds up after release", async () => {
    for (let round = 0; round < 5; round++) {
      const [product] = await insertProducts([{ stock: 10 }]);
      if (!product) throw new Error("no product");
      const { etag } = await read(product.id);
      const orderId = crypto.randomUUID();
      const [reserved, edited] = await Promise.all([
        reserve(product.id, 4, orderId),
        edit("PATCH", product.id, { stock: 20 }, etag),
      ]);
      expect(reserved.result.ok).toBe(true);
      const stock = (await read(product.id)).product.stock;
      // Either the edit came first (20, then the reservation's -4) or it was refused (10 - 4): never 20 with
      // 4 units held, which would give back 24 on release.
      if (edited.status === 200) expect(stock).toBe(16);
      else {
        expect(edited.status).toBe(412);
        expect(stock).toBe(6);
      }
      await published(releaseStock(database(env.DB), orderId, new Date()));
      expect((await read(product.id)).product.stock).toBe(edited.status === 200 ? 20 : 10);
    }
  });

  it("without If-Match, replaces the figure as it is when the write commits (the documented contract)", async () => {
    const [product] = await insertProducts([{ stock: 10 }]);
    if (!product) throw new Error("no product");
    await reserve(product.id, 2);
    const response = await edit("PATCH", product.id, { stock: 5 });
    expect(response.status).toBe(200);
    expect((await read(product.id)).product.stock).toBe(5);
  });
});
