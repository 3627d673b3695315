// The contract: the live /openapi.json lints clean, and real answers through the gateway (happy paths and the
// main errors of every operation) have a documented status and a body that matches the documented schema.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, type ApiInit, api, eventually, freshIp } from "./client";
import { signWebhook, webhookSecret } from "./contract-fixtures";
import { type Checked, Contract, type OpenApiDocument } from "./openapi-validate";

const ROOT = new URL("..", import.meta.url).pathname;

// Every public route of DESIGN.md (and GET /api/notifications/preferences), as the gateway documents them.
const EXPECTED_OPERATIONS = [
  "GET /health",
  "GET /.well-known/jwks.json",
  "POST /api/users/register",
  "POST /api/users/login",
  "POST /api/users/refresh",
  "POST /api/users/logout",
  "GET /api/users/profile",
  "PATCH /api/users/profile",
  "GET /api/products",
  "POST /api/products",
  "GET /api/products/{id}",
  "PUT /api/products/{id}",
  "PATCH /api/products/{id}",
  "DELETE /api/products/{id}",
  "GET /api/categories",
  "POST /api/orders",
  "GET /api/orders",
  "GET /api/orders/{id}",
  "POST /api/orders/{id}/cancel",
  "PATCH /api/orders/{id}/status",
  "POST /api/payments",
  "GET /api/payments",
  "POST /api/payments/webhook",
  "GET /api/notifications",
  "GET /api/notifications/preferences",
  "PATCH /api/notifications/preferences",
];

let contract: Contract;

/** One request through the gateway, checked against the document. */
async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  init: ApiInit = {},
): Promise<Checked<T>> {
  return contract.check<T>(method, path, await api(path, { ...init, method }));
}

/** A checked call that must answer `status`. */
async function expectCall<T = Record<string, unknown>>(
  status: number,
  method: string,
  path: string,
  init: ApiInit = {},
): Promise<T> {
  const result = await call<T>(method, path, init);
  if (result.status !== status) {
    throw new Error(
      `${method} ${path}: expected ${status}, got ${result.status}: ${JSON.stringify(result.body)}`,
    );
  }
  return result.body;
}

interface Auth {
  token: string;
  refreshToken: string;
  user: { id: string };
}

const password = "correct-horse-battery";
const register = () =>
  expectCall<Auth>(201, "POST", "/api/users/register", {
    json: { email: `contract-${crypto.randomUUID()}@example.com`, password, firstName: "Ada", lastName: "L" },
  });
const key = () => ({ "idempotency-key": crypto.randomUUID() });

let buyer: Auth;
let other: Auth;
let admin: string;

beforeAll(async () => {
  const response = await api("/openapi.json");
  expect(response.status).toBe(200);
  contract = new Contract((await response.json()) as OpenApiDocument);
  [buyer, other] = await Promise.all([register(), register()]);
  admin = (await expectCall<{ token: string }>(200, "POST", "/api/users/login", { json: ADMIN })).token;
});

describe("the document", () => {
  it("lints clean with @redocly/cli (redocly.yaml)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "edge-shop-openapi-"));
    const file = join(dir, "openapi.json");
    try {
      await writeFile(file, JSON.stringify(contract.document, null, 2));
      const lint = promisify(execFile)(`${ROOT}node_modules/.bin/redocly`, ["lint", file], {
        cwd: ROOT,
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      });
      const failure = await lint.then(
        () => undefined,
        (error: { code?: number; stdout?: string; stderr?: string }) =>
          `redocly lint exited ${error.code}:\n${error.stdout ?? ""}\n${error.stderr ?? ""}`,
      );
      expect(failure).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("describes every public route, once, and nothing else", () => {
    expect(contract.operationKeys().sort()).toEqual([...EXPECTED_OPERATIONS].sort());
    const ids = Object.values(contract.document.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("the checker", () => {
  // A checker of its own, so these made-up answers count for no operation's coverage.
  const check = (path: string, status: number, body: unknown, type = "application/json") =>
    new Contract(contract.document).check(
      "GET",
      path,
      Response.json(body, { status, headers: { "content-type": type } }),
    );
  const user = {
    id: "u",
    email: "a@example.com",
    firstName: "A",
    lastName: "B",
    role: "user",
    createdAt: new Date().toISOString(),
  };

  it("accepts a documented answer and refuses an undocumented status, type, shape or field", async () => {
    await expect(check("/api/users/profile", 200, { user })).resolves.toMatchObject({ status: 200 });
    await expect(check("/api/users/profile", 418, {})).rejects.toThrow(/status 418 is not documented/);
    await expect(check("/api/users/profile", 200, { user }, "text/plain")).rejects.toThrow(/content type/);
    await expect(check("/api/users/profile", 200, { user: { ...user, role: "root" } })).rejects.toThrow(
      /does not match/,
    );
    await expect(check("/api/users/profile", 200, { user: { ...user, passwordHash: "x" } })).rejects.toThrow(
      /unevaluated/,
    );
    await expect(check("/api/no-such-path", 200, {})).rejects.toThrow(/no operation/);
  });
});

describe("gateway and users", () => {
  it("health, keys, and the gateway's own answers (401 bad token, 413, 429)", async () => {
    await expectCall(200, "GET", "/health");
    await expectCall(200, "GET", "/.well-known/jwks.json");
    await expectCall(401, "GET", "/api/categories", { token: "not.a.token" });
    await expectCall(413, "POST", "/api/users/login", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "a@example.com", password: "x".repeat(1024 * 1024 + 10) }),
    });
    const ip = freshIp();
    let last = 0;
    for (let i = 0; i < 11 && last !== 429; i++) {
      last = (await call("POST", "/api/users/refresh", { ip, json: {} })).status;
    }
    expect(last).toBe(429);
  });

  it("register and login: 201, 200, 400, 401, 409", async () => {
    const email = `contract-${crypto.randomUUID()}@example.com`;
    const json = { email, password, firstName: "Grace", lastName: "Hopper", role: "admin" };
    const created = await expectCall<Auth & { user: { role: string } }>(201, "POST", "/api/users/register", {
      json,
    });
    expect(created.user.role).toBe("user");
    await expectCall(409, "POST", "/api/users/register", { json });
    await expectCall(400, "POST", "/api/users/register", { json: { email: "nope", password: "short" } });
    await expectCall(200, "POST", "/api/users/login", { json: { email, password } });
    await expectCall(401, "POST", "/api/users/login", { json: { email, password: "wrong-password-1" } });
    await expectCall(400, "POST", "/api/users/login", { json: { email } });
  });

  it("refresh and logout: 200, 204, 400, 401", async () => {
    const fresh = await expectCall<Auth>(200, "POST", "/api/users/refresh", {
      json: { refreshToken: buyer.refreshToken },
    });
    await expectCall(401, "POST", "/api/users/refresh", { json: { refreshToken: buyer.refreshToken } });
    await expectCall(400, "POST", "/api/users/refresh", { json: { refreshToken: "" } });
    await expectCall(400, "POST", "/api/users/logout", { token: buyer.token, json: {} });
    await expectCall(401, "POST", "/api/users/logout", { json: { refreshToken: fresh.refreshToken } });
    await expectCall(204, "POST", "/api/users/logout", {
      token: buyer.token,
      json: { refreshToken: fresh.refreshToken },
    });
  });

  it("profile: 200, 400, 401", async () => {
    await expectCall(200, "GET", "/api/users/profile", { token: buyer.token });
    await expectCall(401, "GET", "/api/users/profile");
    await expectCall(200, "PATCH", "/api/users/profile", { token: buyer.token, json: { firstName: "Ada" } });
    await expectCall(400, "PATCH", "/api/users/profile", { token: buyer.token, json: {} });
    await expectCall(400, "PATCH", "/api/users/profile", {
      token: buyer.token,
      json: { currentPassword: "wrong-password-1", newPassword: "another-password-2" },
    });
    await expectCall(401, "PATCH", "/api/users/profile", { json: { firstName: "Eve" } });
  });
});

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
    await expectCall(403, "POST", "/api/products", { token: other.token, json: input });
    await expectCall(400, "POST", "/api/products", { token: admin, json: { ...input, price: 12.5 } });
    const { product } = await expectCall<{ product: { id: string } }>(201, "POST", "/api/products", {
      token: admin,
      json: input,
    });
    const path = `/api/products/${product.id}`;
    await expectCall(200, "PUT", path, { token: admin, json: { ...input, stock: 7, tags: ["mug"] } });
    await expectCall(404, "PUT", "/api/products/no-such-product", { token: admin, json: input });
    await expectCall(200, "PATCH", path, { token: admin, json: { price: 1399 } });
    await expectCall(400, "PATCH", path, { token: admin, json: {} });
    await expectCall(403, "PATCH", path, { token: other.token, json: { price: 1 } });
    await expectCall(204, "DELETE", path, { token: admin });
    await expectCall(404, "GET", path);
    await expectCall(404, "DELETE", "/api/products/no-such-product", { token: admin });
    await expectCall(400, "DELETE", `/api/products/${"x".repeat(101)}`, { token: admin });
  });
});

interface Order {
  id: string;
  status: string;
}

const placeOrder = (token: string, items: { productId: string; quantity: number }[], headers = key()) =>
  call<{ order: Order }>("POST", "/api/orders", {
    token,
    headers,
    json: { items, shippingAddress: { line1: "1 Main St", city: "Springfield" } },
  });

describe("orders and payments", () => {
  let paid: Order;
  let productId: string;
  let lastOne: string;

  const newProduct = async (stock: number) =>
    (
      await expectCall<{ product: { id: string } }>(201, "POST", "/api/products", {
        token: admin,
        json: { name: "Contract widget", price: 500, category: "contract", stock },
      })
    ).product.id;

  beforeAll(async () => {
    [productId, lastOne] = await Promise.all([newProduct(100), newProduct(1)]);
  });

  it("place: 201 (and its replay), 400, 401, 409, 422", async () => {
    const headers = key();
    const first = await placeOrder(buyer.token, [{ productId, quantity: 1 }], headers);
    expect(first.status).toBe(201);
    const replay = await placeOrder(buyer.token, [{ productId, quantity: 1 }], headers);
    expect([replay.status, replay.headers.get("idempotent-replayed")]).toEqual([201, "true"]);
    expect((await placeOrder(buyer.token, [{ productId, quantity: 2 }], headers)).status).toBe(422);
    paid = first.body.order;
    await expectCall(400, "POST", "/api/orders", { token: buyer.token, json: { items: [] } });
    await expectCall(400, "POST", "/api/orders", {
      token: buyer.token,
      json: { items: [{ productId, quantity: 1 }], shippingAddress: "1 Main St" },
    });
    expect((await placeOrder(buyer.token, [{ productId: "no-such-product", quantity: 1 }])).status).toBe(400);
    await expectCall(401, "POST", "/api/orders", { headers: key(), json: { items: [] } });
    expect((await placeOrder(buyer.token, [{ productId: lastOne, quantity: 2 }])).status).toBe(409);
  });

  it("read: 200, 400, 401, 404 (another user's order)", async () => {
    await expectCall(200, "GET", "/api/orders?limit=5", { token: buyer.token });
    await expectCall(200, "GET", "/api/orders?status=pending", { token: admin });
    await expectCall(400, "GET", "/api/orders?limit=0", { token: buyer.token });
    await expectCall(401, "GET", "/api/orders");
    await expectCall(200, "GET", `/api/orders/${paid.id}`, { token: buyer.token });
    await expectCall(404, "GET", `/api/orders/${paid.id}`, { token: other.token });
    await expectCall(401, "GET", `/api/orders/${paid.id}`);
    await expectCall(400, "GET", `/api/orders/${"x".repeat(101)}`, { token: buyer.token });
  });

  it("pay: 201 failed then succeeded, 400, 401, 404, 409, 422", async () => {
    const pay = (token: string, headers: Record<string, string>, orderId = paid.id, card = "tok_visa") =>
      call<{ payment: { status: string } }>("POST", "/api/payments", {
        token,
        headers,
        json: { orderId, method: { type: "card", token: card } },
      });
    const declined = await pay(buyer.token, key(), paid.id, "tok_chargeDeclined");
    expect([declined.status, declined.body.payment.status]).toEqual([201, "failed"]);
    const headers = key();
    const succeeded = await pay(buyer.token, headers);
    expect([succeeded.status, succeeded.body.payment.status]).toEqual([201, "succeeded"]);
    expect((await pay(buyer.token, headers, paid.id, "tok_chargeDeclined")).status).toBe(422);
    expect((await pay(buyer.token, key())).status).toBe(409);
    expect((await pay(other.token, key())).status).toBe(404);
    await expectCall(400, "POST", "/api/payments", {
      token: buyer.token,
      headers: key(),
      json: { orderId: paid.id, method: { type: "paypal" } },
    });
    await expectCall(400, "POST", "/api/payments", {
      token: buyer.token,
      json: { orderId: paid.id, method: { type: "card", token: "tok_visa" } },
    });
    expect((await pay("", key())).status).toBe(401);
    await expectCall(200, "GET", `/api/payments?orderId=${paid.id}`, { token: buyer.token });
    await expectCall(400, "GET", "/api/payments", { token: buyer.token });
    await expectCall(404, "GET", `/api/payments?orderId=${paid.id}`, { token: other.token });
    await expectCall(401, "GET", `/api/payments?orderId=${paid.id}`);
  });

  it("cancel and fulfil: 200, 400, 401, 403, 404, 409", async () => {
    const path = `/api/orders/${paid.id}`;
    await eventually(async () => {
      const { order } = await expectCall<{ order: Order }>(200, "GET", path, { token: buyer.token });
      return order.status === "paid" ? order : undefined;
    });
    await expectCall(403, "PATCH", `${path}/status`, { token: buyer.token, json: { status: "shipped" } });
    await expectCall(400, "PATCH", `${path}/status`, { token: admin, json: { status: "paid" } });
    await expectCall(404, "PATCH", "/api/orders/no-such-order/status", {
      token: admin,
      json: { status: "shipped" },
    });
    await expectCall(200, "PATCH", `${path}/status`, { token: admin, json: { status: "shipped" } });
    await expectCall(409, "PATCH", `${path}/status`, { token: admin, json: { status: "shipped" } });
    await expectCall(409, "POST", `${path}/cancel`, { token: buyer.token });
    const pending = await placeOrder(buyer.token, [{ productId, quantity: 1 }]);
    const pendingPath = `/api/orders/${pending.body.order.id}`;
    await expectCall(404, "POST", `${pendingPath}/cancel`, { token: other.token });
    await expectCall(401, "POST", `${pendingPath}/cancel`);
    await expectCall(400, "POST", `/api/orders/${"x".repeat(101)}/cancel`, { token: buyer.token });
    await expectCall(200, "POST", `${pendingPath}/cancel`, { token: buyer.token });
  });

  it("provider webhook: 200, 400, 401", async () => {
    const body = JSON.stringify({
      id: `evt_${crypto.randomUUID()}`,
      type: "customer.created",
      data: { object: {} },
    });
    const post = (signature: string, raw = body) =>
      call("POST", "/api/payments/webhook", {
        headers: { "content-type": "application/json", "payment-signature": signature },
        body: raw,
      });
    expect((await post(await signWebhook(body, "whsec_wrong"))).status).toBe(401);
    const secret = webhookSecret();
    if (secret === undefined) return; // a remote stack: its secret is not ours to read
    expect((await post(await signWebhook(body, secret))).status).toBe(200);
    const malformed = JSON.stringify({ id: "evt_x" });
    expect((await post(await signWebhook(malformed, secret), malformed)).status).toBe(400);
  });
});

describe("notifications", () => {
  it("list and preferences: 200, 400, 401", async () => {
    await eventually(async () => {
      const page = await expectCall<{ notifications: unknown[] }>(200, "GET", "/api/notifications", {
        token: buyer.token,
      });
      return page.notifications.length > 0 ? page : undefined;
    });
    await expectCall(400, "GET", "/api/notifications?limit=500", { token: buyer.token });
    await expectCall(401, "GET", "/api/notifications");
    await expectCall(200, "GET", "/api/notifications/preferences", { token: buyer.token });
    await expectCall(401, "GET", "/api/notifications/preferences");
    const prefs = "/api/notifications/preferences";
    await expectCall(200, "PATCH", prefs, { token: buyer.token, json: { sms: true, phone: "+14155550123" } });
    await expectCall(200, "PATCH", prefs, { token: buyer.token, json: { phone: null, sms: false } });
    await expectCall(400, "PATCH", prefs, { token: other.token, json: { sms: true } });
    await expectCall(401, "PATCH", prefs, { json: { email: false } });
  });
});

describe("coverage", () => {
  it("exercised every documented operation", () => {
    const missing = contract.operationKeys().filter((op) => !contract.exercised.has(op));
    expect(missing, "operations no contract check called").toEqual([]);
  });
});
