import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/app";
import { freshIp, gateway, signToken } from "./helpers";

const adminToken = () => signToken({ sub: "admin-7", role: "admin" });
const userToken = () => signToken({ sub: "user-7" });

async function asAdmin(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${await adminToken()}`);
  return gateway(path, { ...init, headers });
}

interface Listed {
  deadLetters: { id: string; service: string; receivedAt: string }[];
  pagination: { page: number; limit: number; total: number; pages: number };
  unavailable: string[];
}

afterEach(() => vi.restoreAllMocks());

describe("admin routes: access", () => {
  it.each([
    ["GET", "/api/admin/status"],
    ["GET", "/api/admin/dead-letters"],
    ["POST", "/api/admin/dead-letters/orders:dl-0/replay"],
  ])("%s %s is 401 without a token and 403 for a user", async (method, path) => {
    expect((await gateway(path, { method })).status).toBe(401);
    const forbidden = await gateway(path, {
      method,
      headers: { authorization: `Bearer ${await userToken()}` },
    });
    expect(forbidden.status).toBe(403);
  });

  it.each(["/internal/admin/status", "/internal/admin/dead-letters", "/internal/anything"])(
    "never forwards %s, not even for an admin",
    async (path) => {
      const response = await asAdmin(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: "not_found" });
    },
  );
});

describe("GET /api/admin/status", () => {
  it("asks every service as the admin, with the request id, and shows each one's detail", async () => {
    const response = await asAdmin("/api/admin/status", { headers: { "x-request-id": "status-check-1" } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      status: string;
      gateway: { version: string };
      services: Record<
        string,
        { status: string; version: string; seen: { requestId: string; userId: string } }
      >;
    };
    expect(body.status).toBe("OK");
    expect(body.gateway.version).toBe("unknown");
    expect(Object.keys(body.services).sort()).toEqual([
      "carts",
      "notifications",
      "orders",
      "payments",
      "products",
      "users",
    ]);
    for (const [name, service] of Object.entries(body.services)) {
      expect(service).toMatchObject({ status: "OK", version: `${name}-sha` });
      expect(service.seen).toEqual({ requestId: "status-check-1", userId: "admin-7" });
    }
  });

  it("is 503 DEGRADED with the failing service DOWN and the others shown", async () => {
    const response = await asAdmin("/api/admin/status", { headers: { "x-request-id": "fail-payments-1" } });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; services: Record<string, { status: string }> };
    expect(body.status).toBe("DEGRADED");
    expect(body.services.payments?.status).toBe("DOWN");
    expect(body.services.orders?.status).toBe("OK");
  });
});

describe("GET /api/admin/dead-letters", () => {
  it("merges every owner's dead letters newest first, each with its service", async () => {
    const body = (await (await asAdmin("/api/admin/dead-letters?limit=10")).json()) as Listed;
    expect(body.deadLetters.map((d) => d.id)).toEqual([
      "orders:dl-6",
      "carts:dl-5",
      "payments:dl-4",
      "orders:dl-3",
      "notifications:dl-2",
      "payments:dl-1",
      "orders:dl-0",
    ]);
    expect(body.deadLetters.every((d) => d.id.startsWith(`${d.service}:`))).toBe(true);
    expect(body.pagination).toEqual({ page: 1, limit: 10, total: 7, pages: 1 });
    expect(body.unavailable).toEqual([]);
  });

  it("paginates the merged list and filters by service", async () => {
    const page2 = (await (await asAdmin("/api/admin/dead-letters?page=2&limit=2")).json()) as Listed;
    expect(page2.deadLetters.map((d) => d.id)).toEqual(["payments:dl-4", "orders:dl-3"]);
    expect(page2.pagination).toEqual({ page: 2, limit: 2, total: 7, pages: 4 });
    const orders = (await (await asAdmin("/api/admin/dead-letters?service=orders")).json()) as Listed;
    expect(orders.deadLetters.map((d) => d.id)).toEqual(["orders:dl-6", "orders:dl-3", "orders:dl-0"]);
    expect(orders.pagination.total).toBe(3);
  });

  it("still lists the others when one service fails, and names it", async () => {
    const response = await asAdmin("/api/admin/dead-letters", {
      headers: { "x-request-id": "fail-orders-1" },
    });
    const body = (await response.json()) as Listed;
    expect(response.status).toBe(200);
    expect(body.unavailable).toEqual(["orders"]);
    expect(body.deadLetters.map((d) => d.service)).not.toContain("orders");
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["page=0", "page"],
    ["page=11&limit=100", "page"],
    ["service=users", "service"],
  ])("refuses %s with a 400 naming %s", async (query, path) => {
    const response = await asAdmin(`/api/admin/dead-letters?${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toContain(path);
  });
});

describe("POST /api/admin/dead-letters/:id/replay", () => {
  it("sends the replay to the owning service once; the second is its 409", async () => {
    const first = await asAdmin("/api/admin/dead-letters/payments:dl-4/replay", { method: "POST" });
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ deadLetter: { id: "payments:dl-4", service: "payments" } });
    const second = await asAdmin("/api/admin/dead-letters/payments:dl-4/replay", { method: "POST" });
    expect(second.status).toBe(409);
    expect(second.headers.get("content-type")).toBe("application/problem+json");
    expect(await second.json()).toMatchObject({ code: "already_replayed" });
  });

  it.each(["orders:missing", "users:dl-1", "no-owner"])("answers 404 for %s", async (id) => {
    const response = await asAdmin(`/api/admin/dead-letters/${id}/replay`, { method: "POST" });
    expect(response.status).toBe(404);
  });
});

describe("gateway request log and metrics", () => {
  it("name the DESIGN path template and the upstream service, never the raw path", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const token = await signToken({ sub: "user-log-1" });
    await gateway("/api/orders/ord-123/cancel", {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "request");
    expect(line).toMatchObject({
      service: "gateway",
      route: "/api/orders/:id/cancel",
      upstream: "orders",
      status: 200,
      userId: "user-log-1",
    });
    expect(JSON.stringify(line)).not.toContain("ord-123");
  });

  it("write one request point per request", async () => {
    const points: AnalyticsEngineDataPoint[] = [];
    const bindings = {
      ...env,
      METRICS: { writeDataPoint: (p: AnalyticsEngineDataPoint) => void points.push(p) },
    };
    const request = new Request("http://localhost/api/products/p-9", {
      headers: { "cf-connecting-ip": freshIp() },
    });
    const response = await app.fetch(request, bindings);
    expect(response.status).toBe(200);
    expect(points).toEqual([
      {
        blobs: ["request", "gateway", "/api/products/:id", "2xx", "GET", "200"],
        doubles: [1, expect.any(Number), 0],
        indexes: ["/api/products/:id"],
      },
    ]);
  });
});
