import { describe, expect, it } from "vitest";
import { ADMIN, adminToken, api, expectJson, registerUser } from "./client";

interface User {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: string;
  createdAt: string;
}
interface Auth {
  message: string;
  token: string;
  refreshToken: string;
  user: User;
}

function b64urlJson(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("users and authentication, through the gateway", () => {
  it("register → login → profile → refresh → logout", async () => {
    const registered = await registerUser({ role: "admin" });
    expect(registered.user.email).toBe(registered.email);

    const login = await expectJson<Auth>(
      await api("/api/users/login", {
        method: "POST",
        json: { email: registered.email.toUpperCase(), password: registered.password },
      }),
      200,
    );
    expect(login.user).toMatchObject({ id: registered.user.id, role: "user" });

    const profile = await expectJson<{ user: User }>(
      await api("/api/users/profile", { token: login.token }),
      200,
    );
    expect(profile.user).toEqual(login.user);

    const patched = await expectJson<{ user: User }>(
      await api("/api/users/profile", { method: "PATCH", token: login.token, json: { firstName: "Grace" } }),
      200,
    );
    expect(patched.user.firstName).toBe("Grace");

    const refreshed = await expectJson<{ token: string; refreshToken: string }>(
      await api("/api/users/refresh", { method: "POST", json: { refreshToken: login.refreshToken } }),
      200,
    );
    await expectJson(await api("/api/users/profile", { token: refreshed.token }), 200);

    const logout = await api("/api/users/logout", {
      method: "POST",
      token: refreshed.token,
      json: { refreshToken: refreshed.refreshToken },
    });
    expect(logout.status).toBe(204);
    const after = await api("/api/users/refresh", {
      method: "POST",
      json: { refreshToken: refreshed.refreshToken },
    });
    expect(after.status).toBe(401);
  });

  it("publishes the key that signed the tokens", async () => {
    const { token } = await registerUser();
    const jwks = await expectJson<{ keys: { kid: string; alg: string; d?: string }[] }>(
      await api("/.well-known/jwks.json"),
      200,
    );
    const [header] = token.split(".");
    const kid = b64urlJson(header ?? "").kid;
    expect(jwks.keys.map((k) => k.kid)).toContain(kid);
    for (const key of jwks.keys) expect(key.d).toBeUndefined();
  });

  it("answers a wrong password and an unknown email with the same 401", async () => {
    const { email } = await registerUser();
    const wrong = await api("/api/users/login", {
      method: "POST",
      json: { email, password: "wrong-password" },
    });
    const unknown = await api("/api/users/login", {
      method: "POST",
      json: { email: `nobody-${crypto.randomUUID()}@example.com`, password: "wrong-password" },
    });
    const [a, b] = [await expectJson(wrong, 401), await expectJson(unknown, 401)];
    expect({ ...a, requestId: "" }).toEqual({ ...b, requestId: "" });
    expect(a).toMatchObject({ title: "Invalid credentials", detail: "Invalid credentials" });
  });

  it("answers 409 for a registered email in another case", async () => {
    const { email } = await registerUser();
    const response = await api("/api/users/register", {
      method: "POST",
      json: { email: email.toUpperCase(), password: "another-password", firstName: "A", lastName: "B" },
    });
    await expectJson(response, 409);
  });

  it("refuses a tampered token with 401 before the service is called", async () => {
    const { token } = await registerUser();
    const [header, payload, signature] = token.split(".");
    const claims = { ...b64urlJson(payload ?? ""), role: "admin" };
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    const response = await api("/api/users/profile", { token: forged });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "invalid_token" });
  });

  it("answers 403 to a user on an admin route, and lets the seeded admin through", async () => {
    const { token } = await registerUser();
    const product = { name: "x" };
    const forbidden = await api("/api/products", { method: "POST", token, json: product });
    expect(forbidden.status).toBe(403);

    const admin = await api("/api/users/profile", { token: await adminToken() });
    expect(await expectJson(admin, 200)).toMatchObject({ user: { email: ADMIN.email, role: "admin" } });
  });

  it("ends every session when the password changes", async () => {
    const { token, refreshToken, password } = await registerUser();
    await expectJson(
      await api("/api/users/profile", {
        method: "PATCH",
        token,
        json: { currentPassword: password, newPassword: "a-brand-new-password" },
      }),
      200,
    );
    const refresh = await api("/api/users/refresh", { method: "POST", json: { refreshToken } });
    expect(refresh.status).toBe(401);
  });
});
