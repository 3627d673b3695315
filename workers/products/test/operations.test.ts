import { exports } from "cloudflare:workers";
import type { ServiceStatus } from "@edge-shop/worker-kit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, call, user } from "./helpers";

afterEach(() => vi.restoreAllMocks());

describe("GET /internal/admin/status", () => {
  it("shows version, migrations and outbox to admins only", async () => {
    expect((await call("/internal/admin/status")).status).toBe(401);
    expect((await call("/internal/admin/status", { as: user })).status).toBe(403);
    const status = (await (await call("/internal/admin/status", { as: admin })).json()) as ServiceStatus;
    expect(status).toMatchObject({ service: "products", status: "OK", deadLetters: null });
    expect(status.migrations.applied).toBeGreaterThanOrEqual(3);
    expect(status.outbox.unsent).toBe(0);
  });
});

describe("ProductsRpc logs", () => {
  it("carry the caller's correlation id", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    await exports.ProductsRpc.release(`order-${crypto.randomUUID()}`, "corr-release-1");
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({
        msg: "rpc",
        service: "products",
        method: "release",
        correlationId: "corr-release-1",
      }),
    );
  });
});
