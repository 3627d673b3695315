// The contract: the live /openapi.json lints clean, and real answers through the gateway (happy paths and the
// main errors of every operation) have a documented status and a body that matches the documented schema.
import { beforeAll, describe, expect, it } from "vitest";
import { adminContract } from "./contract/admin";
import { cartsContract } from "./contract/carts";
import { checkoutMoneyContract } from "./contract/checkout-money";
import { redoclyLint } from "./contract/lint";
import { notificationsContract } from "./contract/notifications";
import { Contract } from "./contract/openapi-validate";
import { ordersContract } from "./contract/orders";
import { paymentsContract } from "./contract/payments";
import { productsContract } from "./contract/products";
import { session, startSession } from "./contract/session";
import { usersContract } from "./contract/users";

// Every public route of DESIGN.md (and GET /api/notifications/preferences, and the admin routes of the
// operations issue), as the gateway documents them. Second part: the account routes and the carts.
const EXPECTED_OPERATIONS = [
  "GET /health",
  "GET /.well-known/jwks.json",
  "POST /api/users/register",
  "POST /api/users/login",
  "POST /api/users/refresh",
  "POST /api/users/logout",
  "GET /api/users/profile",
  "PATCH /api/users/profile",
  "DELETE /api/users/profile",
  "GET /api/users/profile/export",
  "POST /api/users/verify-email/request",
  "POST /api/users/verify-email",
  "POST /api/users/password/forgot",
  "POST /api/users/password/reset",
  "POST /api/users/email",
  "GET /api/products",
  "POST /api/products",
  "GET /api/products/{id}",
  "PUT /api/products/{id}",
  "PATCH /api/products/{id}",
  "DELETE /api/products/{id}",
  "POST /api/products/{id}/images",
  "DELETE /api/products/{id}/images/{n}",
  "GET /media/{key}",
  "GET /api/categories",
  "POST /api/carts",
  "GET /api/cart",
  "GET /api/carts/{id}",
  "POST /api/carts/{id}/items",
  "PATCH /api/carts/{id}/items/{productId}",
  "DELETE /api/carts/{id}/items/{productId}",
  "POST /api/carts/{id}/claim",
  "POST /api/orders",
  "GET /api/orders",
  "GET /api/orders/{id}",
  "POST /api/orders/{id}/cancel",
  "PATCH /api/orders/{id}/status",
  "GET /api/shipping-options",
  "GET /api/promotions/{code}",
  "GET /api/admin/promotions",
  "POST /api/admin/promotions",
  "PATCH /api/admin/promotions/{code}",
  "POST /api/orders/{id}/refunds",
  "GET /api/orders/{id}/refunds",
  "POST /api/payments",
  "GET /api/payments",
  "POST /api/payments/webhook",
  "GET /api/payments/simulator/3ds/{paymentId}",
  "POST /api/payments/simulator/3ds/{paymentId}/{outcome}",
  "GET /api/notifications",
  "GET /api/notifications/preferences",
  "PATCH /api/notifications/preferences",
  "GET /api/admin/status",
  "GET /api/admin/dead-letters",
  "POST /api/admin/dead-letters/{id}/replay",
  "GET /api/admin/users",
  "PATCH /api/admin/users/{id}",
];

beforeAll(startSession);

describe("the document", () => {
  it("lints clean with @redocly/cli (redocly.yaml)", async () => {
    expect(await redoclyLint(session.contract.document)).toBeUndefined();
  });

  it("describes every public route, once, and nothing else", () => {
    expect(session.contract.operationKeys().sort()).toEqual([...EXPECTED_OPERATIONS].sort());
    const ids = Object.values(session.contract.document.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("the checker", () => {
  // A checker of its own, so these made-up answers count for no operation's coverage.
  const check = (path: string, status: number, body: unknown, type = "application/json") =>
    new Contract(session.contract.document).check(
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
    emailVerified: false,
    disabled: false,
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

usersContract();
productsContract();
ordersContract();
checkoutMoneyContract();
paymentsContract();
cartsContract();
notificationsContract();
adminContract();

describe("coverage", () => {
  it("exercised every documented operation", () => {
    const missing = session.contract.operationKeys().filter((op) => !session.contract.exercised.has(op));
    expect(missing, "operations no contract check called").toEqual([]);
  });
});
