import { env, exports } from "cloudflare:workers";
import type { ServiceStatus } from "@edge-shop/worker-kit";
import { describe, expect, it } from "vitest";
import { call } from "./helpers";

describe("carts health and documents", () => {
  it("answers OK with the request id it was given", async () => {
    const response = await exports.default.fetch("http://carts/health", {
      headers: { "x-request-id": "req-1" },
    });
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(await response.json()).toEqual({ status: "OK", service: "carts" });
  });

  it("describes every cart route", async () => {
    const doc = (await (await exports.default.fetch("http://carts/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/api/cart",
        "/api/carts",
        "/api/carts/{id}",
        "/api/carts/{id}/claim",
        "/api/carts/{id}/items",
        "/api/carts/{id}/items/{productId}",
      ].sort(),
    );
  });

  it("shows its migrations, an empty outbox and its dead letters to an admin", async () => {
    const response = await call("/internal/admin/status", { as: { userId: "admin-1", role: "admin" } });
    const status = (await response.json()) as ServiceStatus;
    expect(status).toMatchObject({
      service: "carts",
      status: "OK",
      outbox: { unsent: 0 },
      deadLetters: { total: expect.any(Number), unreplayed: expect.any(Number) },
    });
    expect(status.migrations.applied).toBe(env.TEST_MIGRATIONS.length);
    expect(status.migrations.latest).toBe(env.TEST_MIGRATIONS.at(-1)?.name);
  });
});
