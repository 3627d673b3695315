import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hashPassword, kdf } from "../src/domain/password";
import { call, login, PASSWORD, registerUser, uniqueEmail } from "./helpers";

interface Body {
  message?: string;
  token?: string;
  refreshToken?: string;
  user?: Record<string, unknown>;
  [key: string]: unknown;
}

afterEach(() => {
  vi.restoreAllMocks();
});

async function storedHash(userId: string): Promise<string | undefined> {
  const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
    .bind(userId)
    .first<{ password_hash: string }>();
  return row?.password_hash;
}

describe("POST /api/users/login", () => {
  it("logs in with the email in any case and answers tokens and the public user", async () => {
    const { email, user } = await registerUser();
    const response = await login(` ${email.toUpperCase()} `, PASSWORD);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Body;
    expect(body).toEqual({
      message: expect.any(String),
      token: expect.any(String),
      refreshToken: expect.any(String),
      user,
    });
  });

  it("answers a wrong password and an unknown email alike, after one argon2id run each", async () => {
    const { email } = await registerUser();
    const spy = vi.spyOn(kdf, "argon2id");

    const wrong = await login(email, "wrong-password");
    expect(spy).toHaveBeenCalledTimes(1);
    const unknown = await login(uniqueEmail("nobody"), "wrong-password");
    expect(spy).toHaveBeenCalledTimes(2);
    // Both ran with the same (current) cost parameters.
    expect(spy.mock.calls[1]?.[2]).toEqual(spy.mock.calls[0]?.[2]);

    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers.get("content-type")).toBe("application/problem+json");
    const [a, b] = [(await wrong.json()) as Body, (await unknown.json()) as Body];
    expect({ ...a, requestId: "x" }).toEqual({ ...b, requestId: "x" });
    expect(a).toMatchObject({ status: 401, title: "Invalid credentials", detail: "Invalid credentials" });
  });

  it("answers 400 with errors[] for an invalid body", async () => {
    const response = await call("POST", "/api/users/login", { body: { email: "not-an-email" } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(["email", "password"]);
  });

  it("rehashes a password stored with old parameters on the next login", async () => {
    const { email, user } = await registerUser();
    await env.DB.prepare("UPDATE users SET password_hash = ? WHERE id = ?")
      .bind(await hashPassword(PASSWORD, { m: 1024, t: 2, p: 1 }), user.id)
      .run();

    expect((await login(email, PASSWORD)).status).toBe(200);
    const rehashed = await storedHash(user.id);
    expect(rehashed).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);

    // The new hash works, and an up-to-date hash is left alone.
    expect((await login(email, PASSWORD)).status).toBe(200);
    expect(await storedHash(user.id)).toBe(rehashed);
  });
});
