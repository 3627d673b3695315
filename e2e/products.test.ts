import { describe, expect, it } from "vitest";
import { adminToken, api, expectJson, registerUser } from "./client";

interface Product {
  id: string;
  name: string;
  price: number;
  currency: string;
  category: string;
  stock: number;
  isActive: boolean;
  createdAt: string;
}
interface ProductList {
  products: Product[];
  pagination: { page: number; limit: number; total: number; pages: number };
}

const newProduct = (category: string) => ({
  name: `E2E lamp ${crypto.randomUUID().slice(0, 8)}`,
  description: "Brass desk lamp made for the end-to-end suite",
  price: 8900,
  currency: "USD",
  category,
  stock: 4,
  images: [] as string[],
  tags: ["lamp", "e2e"],
});

describe("products through the gateway", () => {
  it("lists the seeded catalog: 10 a page, newest first, active only", async () => {
    const body = await expectJson<ProductList>(await api("/api/products"), 200);
    expect(body.products).toHaveLength(10);
    expect(body.pagination).toMatchObject({ page: 1, limit: 10 });
    expect(body.pagination.total).toBeGreaterThanOrEqual(50);
    expect(body.pagination.pages).toBe(Math.ceil(body.pagination.total / 10));
    const created = body.products.map((p) => p.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    expect(body.products.every((p) => p.isActive && Number.isInteger(p.price))).toBe(true);
  });

  it("filters by category and price range, sorted by price", async () => {
    const response = await api(
      "/api/products?category=Electronics&minPrice=4000&maxPrice=20000&sortBy=price&sortOrder=asc",
    );
    const body = await expectJson<ProductList>(response, 200);
    expect(body.products.length).toBeGreaterThan(0);
    expect(
      body.products.every((p) => p.category === "Electronics" && p.price >= 4000 && p.price <= 20000),
    ).toBe(true);
    const prices = body.products.map((p) => p.price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  it("answers bad list queries with a 400 problem", async () => {
    for (const query of ["limit=101", "sortBy=stock", "minPrice=abc"]) {
      const response = await api(`/api/products?${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect((await response.json()) as { errors: unknown[] }).toHaveProperty("errors");
    }
  });

  it("shows a product's detail and 404s an unknown one", async () => {
    const { products } = await expectJson<ProductList>(await api("/api/products?limit=1"), 200);
    const [first] = products;
    const detail = await expectJson<{ product: Product }>(await api(`/api/products/${first?.id}`), 200);
    expect(detail.product).toEqual(first);
    const missing = await api("/api/products/does-not-exist");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });

  it("lists categories with counts", async () => {
    const { categories } = await expectJson<{ categories: { name: string; count: number }[] }>(
      await api("/api/categories"),
      200,
    );
    expect(categories.length).toBeGreaterThanOrEqual(6);
    expect(categories).toContainEqual({ name: "Books", count: expect.any(Number) });
    expect(categories.every((c) => c.count > 0)).toBe(true);
  });

  it("searches with relevance ranking and survives hostile input", async () => {
    const found = await expectJson<ProductList>(await api("/api/products?search=noise%20cancelling"), 200);
    expect(found.products[0]?.name).toBe("Wireless Noise-Cancelling Headphones");
    const prefix = await expectJson<ProductList>(await api("/api/products?search=headph"), 200);
    expect(prefix.products.map((p) => p.name)).toContain("Wireless Noise-Cancelling Headphones");
    for (const search of ["' OR 1=1 --", '"unbalanced (', "NEAR(", "*"]) {
      const response = await api(`/api/products?search=${encodeURIComponent(search)}`);
      expect(response.status).toBe(200);
    }
  });

  it("lets an admin create a product that is visible at once (X-Cache MISS then HIT)", async () => {
    const token = await adminToken();
    const category = `E2E ${crypto.randomUUID().slice(0, 8)}`;
    const listPath = `/api/products?category=${encodeURIComponent(category)}`;
    const empty = await api(listPath);
    expect((await expectJson<ProductList>(empty, 200)).pagination.total).toBe(0);
    expect((await api(listPath)).headers.get("x-cache")).toBe("HIT");

    const created = await api("/api/products", { method: "POST", token, json: newProduct(category) });
    const { product } = await expectJson<{ product: Product }>(created, 201);
    expect(product).toMatchObject({ category, price: 8900, isActive: true });

    const first = await api(listPath);
    expect(first.headers.get("x-cache")).toBe("MISS");
    expect((await expectJson<ProductList>(first, 200)).products.map((p) => p.id)).toEqual([product.id]);
    const second = await api(listPath);
    expect(second.headers.get("x-cache")).toBe("HIT");
    await second.arrayBuffer();

    const patched = await api(`/api/products/${product.id}`, {
      method: "PATCH",
      token,
      json: { price: 7900 },
    });
    expect((await expectJson<{ product: Product }>(patched, 200)).product.price).toBe(7900);
    const detail = await api(`/api/products/${product.id}`);
    expect(detail.headers.get("x-cache")).toBe("MISS");
    expect((await expectJson<{ product: Product }>(detail, 200)).product.price).toBe(7900);

    const deleted = await api(`/api/products/${product.id}`, { method: "DELETE", token });
    expect(deleted.status).toBe(204);
    expect((await api(`/api/products/${product.id}`)).status).toBe(404);
    expect((await expectJson<ProductList>(await api(listPath), 200)).pagination.total).toBe(0);
  });

  it("answers X-Catalog-Bookmark on a write, and a read sent it answers one at least as new", async () => {
    const token = await adminToken();
    const category = `E2E ${crypto.randomUUID().slice(0, 8)}`;
    const created = await api("/api/products", { method: "POST", token, json: newProduct(category) });
    const { product } = await expectJson<{ product: Product }>(created, 201);
    const written = String(created.headers.get("x-catalog-bookmark"));
    expect(written).toMatch(/^[0-9a-f]+(-[0-9a-f]+)*$/i);
    for (const path of [
      `/api/products/${product.id}`,
      `/api/products?category=${encodeURIComponent(category)}`,
    ]) {
      const read = await api(path, { headers: { "x-catalog-bookmark": written } });
      expect(read.status).toBe(200);
      expect(String(read.headers.get("x-catalog-bookmark")) >= written).toBe(true);
      await read.arrayBuffer();
    }
    const odd = await api(`/api/products/${product.id}`, {
      headers: { "x-catalog-bookmark": "not a bookmark" },
    });
    expect(odd.status).toBe(200);
    expect(odd.headers.get("x-catalog-bookmark")).not.toBe("not a bookmark");
    await odd.arrayBuffer();
  });

  it("refuses writes to a user (403) and to an anonymous caller (401)", async () => {
    const { token } = await registerUser();
    const asUser = await api("/api/products", { method: "POST", token, json: newProduct("Nope") });
    expect(asUser.status).toBe(403);
    expect(asUser.headers.get("content-type")).toBe("application/problem+json");
    const anonymous = await api("/api/products", { method: "POST", json: newProduct("Nope") });
    expect(anonymous.status).toBe(401);
    const { products } = await expectJson<ProductList>(await api("/api/products?limit=1"), 200);
    const path = `/api/products/${products[0]?.id}`;
    expect((await api(path, { method: "DELETE", token })).status).toBe(403);
    expect((await api(path, { method: "DELETE" })).status).toBe(401);
  });

  it("answers an admin's invalid product with 400 errors[]", async () => {
    const token = await adminToken();
    const response = await api("/api/products", {
      method: "POST",
      token,
      json: { ...newProduct("Bad"), price: 19.99, images: ["https://images.example.com/x.jpg"] },
    });
    const body = await expectJson<{ errors: { path: string }[] }>(response, 400);
    expect(body.errors.map((e) => e.path)).toEqual(expect.arrayContaining(["price", "images.0"]));
  });
});
