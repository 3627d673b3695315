import { readdir, readFile } from "node:fs/promises";
import { SERVICES } from "@edge-shop/contracts";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { adminToken, api, eventually, expectJson, registerUser } from "./client";

/** The newest migration file of a service, as `wrangler d1 migrations apply` applied them in order. */
async function latestMigration(service: string): Promise<string | undefined> {
  const files = await readdir(new URL(`../migrations/${service}/`, import.meta.url));
  return files
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .at(-1);
}

// Operations through the gateway: what a checkout leaves in the logs (one id across every worker, nothing
// secret), the admin status of every service, and the dead-letter admin routes.

const address = { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" };
const stackLog = inject("stackLog");
let admin: string;

/** The JSON records among the lines wrangler dev printed (worker log lines; wrangler's own lines skipped). */
async function logRecords(): Promise<{ text: string; records: Record<string, unknown>[] }> {
  const text = await readFile(stackLog, "utf8");
  const records: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    const start = line.indexOf("{");
    if (start < 0) continue;
    try {
      records.push(JSON.parse(line.slice(start)) as Record<string, unknown>);
    } catch {
      // Not one of ours.
    }
  }
  return { text, records };
}

const mentions = (record: Record<string, unknown>, id: string) =>
  record.requestId === id || record.correlationId === id;

beforeAll(async () => {
  admin = await adminToken();
});

describe.skipIf(stackLog === "")("logs of a checkout", () => {
  it("follow one request id through gateway, payments, orders and notifications, and hold no secret", async () => {
    const buyer = await registerUser();
    const product = await api("/api/products", {
      method: "POST",
      token: admin,
      json: {
        name: `E2E ops ${crypto.randomUUID()}`,
        price: 1200,
        currency: "USD",
        category: "e2e",
        stock: 3,
      },
    });
    const productId = (await expectJson<{ product: { id: string } }>(product, 201)).product.id;
    const created = await api("/api/orders", {
      method: "POST",
      token: buyer.token,
      headers: { "idempotency-key": crypto.randomUUID() },
      json: { items: [{ productId, quantity: 1 }], shippingAddress: address },
    });
    const order = (await expectJson<{ order: { id: string } }>(created, 201)).order;
    const payRequestId = `e2e-pay-${crypto.randomUUID()}`;
    const paid = await api("/api/payments", {
      method: "POST",
      token: buyer.token,
      headers: { "idempotency-key": crypto.randomUUID(), "x-request-id": payRequestId },
      json: { orderId: order.id, method: { type: "card", token: "tok_visa" } },
    });
    expect((await expectJson<{ payment: { status: string } }>(paid, 201)).payment.status).toBe("succeeded");
    expect(paid.headers.get("x-request-id")).toBe(payRequestId);

    // The receipt is sent from the payment.succeeded event: its log line carries the payment's request id.
    const services = await eventually(async () => {
      const { records } = await logRecords();
      const seen = new Set(records.filter((r) => mentions(r, payRequestId)).map((r) => String(r.service)));
      return ["gateway", "payments", "orders", "notifications"].every((s) => seen.has(s)) ? seen : undefined;
    }, 20_000);
    expect([...services].sort()).toEqual(
      expect.arrayContaining(["gateway", "notifications", "orders", "payments"]),
    );

    const { text, records } = await logRecords();
    const gatewayLine = records.find((r) => r.service === "gateway" && r.requestId === payRequestId);
    expect(gatewayLine).toMatchObject({
      msg: "request",
      route: "/api/payments",
      upstream: "payments",
      status: 201,
    });
    expect(gatewayLine?.userId).toBe(buyer.user.id);
    const consumed = records.find(
      (r) => r.service === "notifications" && r.msg === "event" && r.correlationId === payRequestId,
    );
    expect(consumed).toMatchObject({ type: "payment.succeeded", outcome: "ack" });

    for (const secret of [buyer.password, buyer.token, buyer.refreshToken, "tok_visa", buyer.email]) {
      expect(text.includes(secret), `the logs contain ${secret.slice(0, 12)}…`).toBe(false);
    }
    // The address is logged masked where it is logged at all.
    const masked = `${buyer.email.charAt(0)}***@${buyer.email.split("@")[1]}`;
    expect(text).toContain(masked);
  });
});

describe("GET /api/admin/status", () => {
  it("shows every service's version, migrations, outbox backlog and dead letters to an admin", async () => {
    const response = await api("/api/admin/status", { token: admin });
    const body = await expectJson<{
      status: string;
      gateway: { version: string };
      services: Record<
        string,
        {
          status: string;
          version: string;
          migrations: { applied: number; latest: string | null };
          outbox: { unsent: number; oldestAgeSeconds: number | null };
          deadLetters: { total: number; unreplayed: number } | null;
        }
      >;
    }>(response, 200);
    expect(body.status).toBe("OK");
    expect(body.gateway.version).not.toBe("unknown");
    for (const name of SERVICES) {
      const service = body.services[name];
      expect(service?.status, name).toBe("OK");
      // Every worker runs the same build locally: the stack gives each the working tree's git sha.
      expect(service?.version, name).toBe(body.gateway.version);
      expect(service?.migrations.applied, name).toBeGreaterThanOrEqual(1);
      expect(service?.outbox.unsent, name).toBeGreaterThanOrEqual(0);
    }
    for (const name of ["orders", "payments", "notifications", "carts"]) {
      expect(body.services[name]?.migrations.latest).toBe(await latestMigration(name));
      expect(body.services[name]?.deadLetters).toEqual({
        total: expect.any(Number),
        unreplayed: expect.any(Number),
      });
    }
    expect(body.services.users?.deadLetters).toBeNull();
  });

  it("is 401 without a token and 403 for a user", async () => {
    const buyer = await registerUser();
    expect((await api("/api/admin/status")).status).toBe(401);
    expect((await api("/api/admin/status", { token: buyer.token })).status).toBe(403);
  });
});

describe("dead letters through the gateway", () => {
  // A real dead-letter trip needs a message every retry fails (max_retries 5, about a minute of backoff) and no
  // public request can produce one; the services' own tests drive that trip in workerd. Here: the routes.
  it("lists dead letters across services, newest first, paginated", async () => {
    const response = await api("/api/admin/dead-letters?limit=5", { token: admin });
    const body = await expectJson<{
      deadLetters: { id: string; service: string; receivedAt: string }[];
      pagination: { page: number; limit: number; total: number; pages: number };
      unavailable: string[];
    }>(response, 200);
    expect(Array.isArray(body.deadLetters)).toBe(true);
    expect(body.pagination).toMatchObject({ page: 1, limit: 5 });
    expect(body.unavailable).toEqual([]);
    for (const item of body.deadLetters) expect(item.id.startsWith(`${item.service}:`)).toBe(true);
  });

  it("answers 404 for an unknown dead letter, 400 for a bad query, 403 for a user", async () => {
    const unknown = await api(`/api/admin/dead-letters/orders:${crypto.randomUUID()}/replay`, {
      method: "POST",
      token: admin,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
    expect((await api("/api/admin/dead-letters?limit=500", { token: admin })).status).toBe(400);
    const buyer = await registerUser();
    expect((await api("/api/admin/dead-letters", { token: buyer.token })).status).toBe(403);
  });

  it("never exposes the services' internal routes", async () => {
    for (const path of ["/internal/admin/status", "/internal/admin/dead-letters"]) {
      expect((await api(path, { token: admin })).status).toBe(404);
    }
  });
});
