import type { Product } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { admin, call, insertProducts, uniqueWord, user } from "./helpers";

const listOf = async (query: string, as?: typeof admin) => {
  const response = await call(`/api/products?${query}`, { as });
  expect(response.status).toBe(200);
  return { cache: response.headers.get("x-cache"), body: (await response.json()) as { products: Product[] } };
};

describe("includeInactive=true", () => {
  it("lists deactivated products for an admin, uncached; ignored for users and anonymous callers", async () => {
    const category = uniqueWord("inactive");
    const [on, off] = (await insertProducts([
      { name: `${category} on`, category },
      { name: `${category} off`, category, isActive: false },
    ])) as [Product, Product];
    const ids = (r: { body: { products: Product[] } }) => r.body.products.map((p) => p.id).sort();
    const asAdmin = await listOf(`category=${category}&includeInactive=true`, admin);
    expect(ids(asAdmin)).toEqual([on.id, off.id].sort());
    expect(asAdmin.cache).toBe("MISS");
    expect((await listOf(`category=${category}&includeInactive=true`, admin)).cache).toBe("MISS");
    expect(ids(await listOf(`category=${category}&includeInactive=true`, user))).toEqual([on.id]);
    expect(ids(await listOf(`category=${category}&includeInactive=true`))).toEqual([on.id]);
    expect(ids(await listOf(`category=${category}`, admin))).toEqual([on.id]);
    expect(ids(await listOf(`search=${category}&includeInactive=true`, admin))).toEqual(
      [on.id, off.id].sort(),
    );
    expect(ids(await listOf(`search=${category}&includeInactive=true`))).toEqual([on.id]);
    const falseFlag = await listOf(`category=${category}&includeInactive=false`, admin);
    expect(ids(falseFlag)).toEqual([on.id]);
    expect((await call("/api/products?includeInactive=yes")).status).toBe(400);
  });

  it("reads a deactivated product for an admin only", async () => {
    const [off] = (await insertProducts([{ name: "Hidden", isActive: false }])) as [Product];
    const path = `/api/products/${off.id}?includeInactive=true`;
    const asAdmin = await call(path, { as: admin });
    expect(asAdmin.status).toBe(200);
    expect(((await asAdmin.json()) as { product: Product }).product).toMatchObject({ isActive: false });
    expect((await call(path, { as: user })).status).toBe(404);
    expect((await call(path)).status).toBe(404);
    expect((await call(`/api/products/${off.id}`, { as: admin })).status).toBe(404);
  });
});
