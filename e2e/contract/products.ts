// Contract scenarios: the catalog.
import { describe, expect, inject, it } from "vitest";
import { makePng, randomRgb } from "../../packages/worker-kit/testing/png";
import { expectCall, session } from "./session";

/** Public reads and admin writes of products and categories. */
export function productsContract(): void {
  describe("products", () => {
    it("public reads: 200, 400, 404", async () => {
      const list = await expectCall<{ products: { id: string }[] }>(
        200,
        "GET",
        "/api/products?page=1&limit=5&sortBy=price&sortOrder=asc&minPrice=0",
      );
      const productId = list.products[0]?.id ?? "";
      expect(productId).not.toBe("");
      await expectCall(200, "GET", "/api/products?search=the");
      await expectCall(400, "GET", "/api/products?limit=1000");
      await expectCall(200, "GET", `/api/products/${productId}`);
      await expectCall(404, "GET", "/api/products/no-such-product");
      await expectCall(200, "GET", "/api/categories");
    });

    it("admin writes: 201, 200, 204, 400, 401, 403, 404", async () => {
      const input = { name: "Contract mug", price: 1299, category: "contract", stock: 5 };
      await expectCall(401, "POST", "/api/products", { json: input });
      await expectCall(403, "POST", "/api/products", { token: session.other.token, json: input });
      await expectCall(400, "POST", "/api/products", {
        token: session.admin,
        json: { ...input, price: 12.5 },
      });
      const { product } = await expectCall<{ product: { id: string } }>(201, "POST", "/api/products", {
        token: session.admin,
        json: input,
      });
      const path = `/api/products/${product.id}`;
      await expectCall(200, "PUT", path, {
        token: session.admin,
        json: { ...input, stock: 7, tags: ["mug"] },
      });
      await expectCall(404, "PUT", "/api/products/no-such-product", { token: session.admin, json: input });
      await expectCall(200, "PATCH", path, { token: session.admin, json: { price: 1399 } });
      await expectCall(400, "PATCH", path, { token: session.admin, json: {} });
      await expectCall(403, "PATCH", path, { token: session.other.token, json: { price: 1 } });
      await expectCall(204, "DELETE", path, { token: session.admin });
      await expectCall(404, "GET", path);
      await expectCall(404, "DELETE", "/api/products/no-such-product", { token: session.admin });
      await expectCall(400, "DELETE", `/api/products/${"x".repeat(101)}`, { token: session.admin });
    });

    it("pictures: upload 201, 401, 403, 404, 413, 415; removal 200, 400, 404; /media 200, 304, 404", async () => {
      const { product } = await expectCall<{ product: { id: string } }>(201, "POST", "/api/products", {
        token: session.admin,
        json: { name: "Contract frame", price: 999, category: "contract", stock: 1 },
      });
      const images = `/api/products/${product.id}/images`;
      const png = async () => ({
        headers: { "content-type": "image/png" },
        body: await makePng(24, 16, randomRgb(), randomRgb()),
      });
      await expectCall(401, "POST", images, await png());
      await expectCall(403, "POST", images, { token: session.other.token, ...(await png()) });
      await expectCall(404, "POST", "/api/products/no-such-product/images", {
        token: session.admin,
        ...(await png()),
      });
      await expectCall(415, "POST", images, {
        token: session.admin,
        headers: { "content-type": "image/svg+xml" },
        body: '<svg xmlns="http://www.w3.org/2000/svg"/>',
      });
      await expectCall(413, "POST", images, {
        token: session.admin,
        headers: { "content-type": "image/png" },
        body: new Uint8Array(5 * 1024 * 1024 + 1),
      });
      const shown = await expectCall<{ product: { images: string[] } }>(201, "POST", images, {
        token: session.admin,
        ...(await png()),
      });
      const url = shown.product.images[0] ?? "";
      expect(await expectCall<string>(200, "GET", url)).not.toBe("");
      const etag = (await fetch(`${inject("baseUrl")}${url}`)).headers.get("etag") ?? "";
      await expectCall(304, "GET", url, { headers: { "if-none-match": etag } });
      await expectCall(200, "GET", url.replace(/\.png$/, "-320.webp"));
      await expectCall(404, "GET", `/media/${"0".repeat(64)}.png`);
      await expectCall(400, "DELETE", `${images}/x`, { token: session.admin });
      await expectCall(404, "DELETE", `${images}/3`, { token: session.admin });
      await expectCall(200, "DELETE", `${images}/0`, { token: session.admin });
    });
  });
}
