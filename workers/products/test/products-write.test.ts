import type { Product } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { admin, call, insertProducts, send, uniqueWord, user } from "./helpers";

const valid = () => ({
  name: "Walnut desk",
  description: "Solid walnut, 140 cm",
  price: 45900,
  currency: "USD",
  category: uniqueWord("cat"),
  stock: 3,
  images: [] as string[],
  tags: ["desk", "walnut"],
});

async function problem(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as { status: number; code: string; errors?: { path: string }[] };
}

describe("admin writes", () => {
  it("creates a product for an admin: 201 with the full shape and defaults", async () => {
    const body = valid();
    const response = await send("POST", "/api/products", {
      ...body,
      description: undefined,
      images: undefined,
    });
    expect(response.status).toBe(201);
    const { product } = (await response.json()) as { product: Product };
    expect(product).toMatchObject({ ...body, description: "", images: [], isActive: true });
    expect(product.id).toEqual(expect.any(String));
    expect(new Date(product.createdAt).toISOString()).toBe(product.createdAt);
    expect(product.updatedAt).toBe(product.createdAt);
    expect((await call(`/api/products/${product.id}`)).status).toBe(200);
  });

  it("ignores fields a client may not set (id, timestamps)", async () => {
    const response = await send("POST", "/api/products", { ...valid(), id: "mine", createdAt: "1999-01-01" });
    const { product } = (await response.json()) as { product: Product };
    expect(product.id).not.toBe("mine");
    expect(product.createdAt).not.toContain("1999");
  });

  it.each([
    ["POST", "/api/products"],
    ["PUT", "/api/products/some-id"],
    ["PATCH", "/api/products/some-id"],
    ["DELETE", "/api/products/some-id"],
  ])("%s %s: 403 for a user, 401 anonymous (before validating the body)", async (method, path) => {
    const asUser = await send(method, path, valid(), user);
    expect(asUser.status).toBe(403);
    expect((await problem(asUser)).code).toBe("forbidden");
    const anonymous = await send(method, path, { nonsense: true }, null);
    expect(anonymous.status).toBe(401);
    expect((await problem(anonymous)).code).toBe("unauthorized");
  });

  it.each([
    [{ price: 19.99 }, "price"],
    [{ price: -1 }, "price"],
    [{ price: "1999" }, "price"],
    [{ currency: "usd" }, "currency"],
    [{ currency: "US" }, "currency"],
    [{ stock: -1 }, "stock"],
    [{ stock: 1.5 }, "stock"],
    [{ name: "" }, "name"],
    [{ name: "x".repeat(201) }, "name"],
    [{ description: "x".repeat(5001) }, "description"],
    [{ category: "" }, "category"],
    [{ category: "c".repeat(101) }, "category"],
    [{ images: ["https://images.example.com/a.jpg"] }, "images.0"],
    [{ images: ["javascript:alert(1)"] }, "images.0"],
    [{ images: [`/media/${"a".repeat(64)}.png`] }, "images.0"],
    [{ images: [`/media/${"a".repeat(64)}.png`, `/media/${"a".repeat(64)}.png`] }, "images"],
    [{ images: Array.from({ length: 11 }, (_, i) => `/media/${String(i).padStart(64, "0")}.png`) }, "images"],
    [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, "tags"],
    [{ tags: ["t".repeat(51)] }, "tags.0"],
    [{ isActive: "yes" }, "isActive"],
  ])("rejects %j with a 400 naming %s", async (change, path) => {
    const response = await send("POST", "/api/products", { ...valid(), ...change });
    expect(response.status).toBe(400);
    const body = await problem(response);
    expect(body.code).toBe("validation_failed");
    expect(body.errors?.map((e) => e.path)).toContain(path);
  });

  it("rejects a missing required field and a body that is not JSON", async () => {
    const { price: _, ...noPrice } = valid();
    const missing = await send("POST", "/api/products", noPrice);
    expect(missing.status).toBe(400);
    expect((await problem(missing)).errors?.map((e) => e.path)).toContain("price");
    const garbled = await call("/api/products", {
      method: "POST",
      as: admin,
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(garbled.status).toBe(400);
  });

  it("replaces a product with PUT (omitted optional fields reset) and 404s an unknown id", async () => {
    const [made] = await insertProducts([{ name: "Old", tags: ["old"], description: "old text" }]);
    const body = { name: "New", price: 700, category: "Kitchen", stock: 9 };
    const response = await send("PUT", `/api/products/${made?.id}`, body);
    expect(response.status).toBe(200);
    const { product } = (await response.json()) as { product: Product };
    expect(product).toMatchObject({ ...body, id: made?.id, description: "", tags: [], currency: "USD" });
    expect(product.createdAt).toBe(made?.createdAt);
    expect(product.updatedAt > product.createdAt).toBe(true);
    expect((await send("PUT", "/api/products/nope", body)).status).toBe(404);
  });

  it("patches only the given fields, refuses an empty patch, and 404s an unknown id", async () => {
    const [made] = await insertProducts([{ name: "Patch me", price: 100, tags: ["keep"] }]);
    const response = await send("PATCH", `/api/products/${made?.id}`, { price: 150 });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { product: Product }).product).toMatchObject({
      name: "Patch me",
      price: 150,
      tags: ["keep"],
    });
    expect((await send("PATCH", `/api/products/${made?.id}`, {})).status).toBe(400);
    expect((await send("PATCH", `/api/products/${made?.id}`, { price: -5 })).status).toBe(400);
    expect((await send("PATCH", "/api/products/nope", { price: 1 })).status).toBe(404);
  });

  it("soft-deletes: 204, gone from reads, kept in storage, restorable with PATCH isActive", async () => {
    const [made] = await insertProducts([{ name: "Delete me" }]);
    const path = `/api/products/${made?.id}`;
    const deleted = await call(path, { method: "DELETE", as: admin });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    expect((await call(path)).status).toBe(404);
    expect((await call(path, { method: "DELETE", as: admin })).status).toBe(204);
    expect((await call("/api/products/nope", { method: "DELETE", as: admin })).status).toBe(404);
    const restored = await send("PATCH", path, { isActive: true });
    expect(((await restored.json()) as { product: Product }).product.isActive).toBe(true);
    expect((await call(path)).status).toBe(200);
  });
});
