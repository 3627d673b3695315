import { env } from "cloudflare:workers";
import { signIdentity, verifyIdentity } from "@edge-shop/worker-kit";
import { base64url, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { type Echo, gateway, signToken } from "./helpers";

async function otherKey(): Promise<string> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  return JSON.stringify({ ...(await crypto.subtle.exportKey("jwk", pair.privateKey)), kid: "test-key-1" });
}

async function expectInvalidToken(token: string) {
  const response = await gateway("/api/orders", { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(401);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status: 401, code: "invalid_token" });
  // The stub would have echoed: a 401 problem proves the service was never called.
  expect(body.service).toBeUndefined();
}

describe("edge authentication", () => {
  it("passes the verified identity to the service", async () => {
    const token = await signToken({ sub: "user-42", role: "user" });
    const response = await gateway("/api/orders", { headers: { authorization: `Bearer ${token}` } });
    const echo = (await response.json()) as Echo;
    const signed = echo.headers["x-identity"] ?? "";
    const requestId = echo.headers["x-request-id"] ?? "";
    expect(await verifyIdentity(env.IDENTITY_SECRET, signed, requestId)).toEqual({
      userId: "user-42",
      role: "user",
    });
    // Signed for this request only, and only with this environment's secret.
    expect(await verifyIdentity(env.IDENTITY_SECRET, signed, "another-request")).toBeNull();
    expect(await verifyIdentity("another-secret", signed, requestId)).toBeNull();
    expect(echo.headers["x-user-id"]).toBeUndefined();
    expect(echo.headers.authorization).toBe(`Bearer ${token}`);
  });

  it("never forwards identity headers a client made up", async () => {
    const forged = await signIdentity("guessed-secret", { userId: "admin-1", role: "admin" }, "req-1");
    const response = await gateway("/api/products", {
      headers: {
        "x-identity": forged,
        "x-user-id": "admin-1",
        "x-user-role": "admin",
        "x-request-id": "req-1",
      },
    });
    const echo = (await response.json()) as Echo;
    expect(echo.headers["x-identity"]).toBeUndefined();
    expect(echo.headers["x-user-id"]).toBeUndefined();
    expect(echo.headers["x-user-role"]).toBeUndefined();
  });

  it("answers 401 on a user route without a token", async () => {
    const response = await gateway("/api/orders");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    expect(await response.json()).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("answers 401 to a non-bearer Authorization header", async () => {
    const response = await gateway("/api/orders", { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(response.status).toBe(401);
  });

  it("refuses alg none", async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT", kid: "test-key-1" }));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(
      JSON.stringify({
        sub: "user-1",
        role: "admin",
        iss: env.JWT_ISSUER,
        aud: env.JWT_AUDIENCE,
        iat: now,
        exp: now + 600,
      }),
    );
    await expectInvalidToken(`${header}.${payload}.`);
  });

  it("refuses a token signed by another key", async () => {
    await expectInvalidToken(await signToken({}, { jwk: await otherKey() }));
  });

  it("refuses a tampered payload", async () => {
    const [header, , signature] = (await signToken({ role: "user" })).split(".");
    const payload = base64url.encode(
      JSON.stringify({
        sub: "user-1",
        role: "admin",
        iss: env.JWT_ISSUER,
        aud: env.JWT_AUDIENCE,
        exp: 4102444800,
      }),
    );
    await expectInvalidToken(`${header}.${payload}.${signature}`);
  });

  it("refuses an expired token", async () => {
    await expectInvalidToken(await signToken({}, { expiresIn: Math.floor(Date.now() / 1000) - 120 }));
  });

  it("refuses a wrong audience or issuer", async () => {
    await expectInvalidToken(await signToken({ aud: "someone-else" }));
    await expectInvalidToken(await signToken({ iss: "someone-else" }));
  });

  it("refuses a token without a known role", async () => {
    await expectInvalidToken(await signToken({ role: "superuser" }));
  });

  it("refuses a token with an unknown kid", async () => {
    await expectInvalidToken(await signToken({}, { kid: "no-such-key" }));
  });

  it("refuses garbage", async () => {
    await expectInvalidToken("not.a.jwt");
  });

  it("answers 401 even on a public route when the token sent is bad", async () => {
    const response = await gateway("/api/products", { headers: { authorization: "Bearer not.a.jwt" } });
    expect(response.status).toBe(401);
  });

  it("refuses a token whose HS256 signature uses the public key as secret", async () => {
    const secret = new TextEncoder().encode(JSON.stringify(env.TEST_SIGNING_KEY));
    const token = await new SignJWT({ role: "admin" })
      .setProtectedHeader({ alg: "HS256", kid: "test-key-1" })
      .setSubject("user-1")
      .setIssuer(env.JWT_ISSUER)
      .setAudience(env.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(secret);
    await expectInvalidToken(token);
  });
});

describe("admin routes", () => {
  const adminRoutes: [string, string][] = [
    ["POST", "/api/products"],
    ["PUT", "/api/products/p1"],
    ["PATCH", "/api/products/p1"],
    ["DELETE", "/api/products/p1"],
    ["PATCH", "/api/orders/o1/status"],
  ];

  it.each(adminRoutes)("answers 403 to a user on %s %s", async (method, path) => {
    const token = await signToken({ role: "user" });
    const response = await gateway(path, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ status: 403, code: "forbidden" });
  });

  it.each(adminRoutes)("answers 401 without a token on %s %s", async (method, path) => {
    const response = await gateway(path, {
      method,
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(401);
  });

  it.each(adminRoutes)("forwards %s %s for an admin", async (method, path) => {
    const token = await signToken({ role: "admin", sub: "admin-1" });
    const response = await gateway(path, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(200);
    const { headers } = (await response.json()) as Echo;
    const caller = await verifyIdentity(
      env.IDENTITY_SECRET,
      headers["x-identity"] ?? "",
      headers["x-request-id"] ?? "",
    );
    expect(caller).toEqual({ userId: "admin-1", role: "admin" });
  });
});
