import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("products OpenAPI document", () => {
  it("describes every public route with its responses", async () => {
    const response = await exports.default.fetch("http://products/openapi.json");
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>;
    };
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/categories",
      "/api/products",
      "/api/products/{id}",
      "/api/products/{id}/images",
      "/api/products/{id}/images/{n}",
    ]);
    expect(Object.keys(doc.paths["/api/products"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/products/{id}"] ?? {}).sort()).toEqual([
      "delete",
      "get",
      "patch",
      "put",
    ]);
    expect(Object.keys(doc.paths["/api/products/{id}/images"] ?? {})).toEqual(["post"]);
    expect(Object.keys(doc.paths["/api/products/{id}/images/{n}"] ?? {})).toEqual(["delete"]);
    expect(doc.paths["/api/products"]?.post?.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(doc.paths["/api/products"]?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(["201", "400", "401", "403"]),
    );
  });
});
