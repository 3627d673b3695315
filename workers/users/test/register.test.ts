import { env } from "cloudflare:workers";
import type { AuthResponse } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { call, PASSWORD, registerUser, uniqueEmail } from "./helpers";

interface Problem {
  status: number;
  code: string;
  errors?: { path: string; message: string }[];
}

describe("POST /api/users/register", () => {
  it("creates a user with a normalised email and answers 201 with tokens and the public user", async () => {
    const email = uniqueEmail("Mixed");
    const response = await call("POST", "/api/users/register", {
      body: {
        email: `  ${email.toUpperCase()} `,
        password: PASSWORD,
        firstName: " Ada ",
        lastName: "Lovelace",
      },
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as AuthResponse;
    expect(body.message).toEqual(expect.any(String));
    expect(body.token.split(".")).toHaveLength(3);
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.user).toEqual({
      id: expect.any(String),
      email: email.toLowerCase(),
      firstName: "Ada",
      lastName: "Lovelace",
      role: "user",
      emailVerified: false,
      disabled: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it("answers 409 for an existing email in another case", async () => {
    const { email } = await registerUser();
    const response = await call("POST", "/api/users/register", {
      body: { email: ` ${email.toUpperCase()}`, password: "another-password", firstName: "B", lastName: "C" },
    });
    expect(response.status).toBe(409);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 409, code: "email_taken" });
  });

  it("lets only one of two concurrent registrations of one email succeed", async () => {
    const email = uniqueEmail("race");
    const body = { email, password: PASSWORD, firstName: "R", lastName: "Ace" };
    const statuses = await Promise.all([
      call("POST", "/api/users/register", { body }),
      call("POST", "/api/users/register", { body: { ...body, email: email.toUpperCase() } }),
    ]).then((rs) => rs.map((r) => r.status).sort());
    expect(statuses).toEqual([201, 409]);
  });

  it("ignores a role sent by the client (no mass assignment)", async () => {
    const { user } = await registerUser({
      role: "admin",
      id: "chosen-id",
      createdAt: "2000-01-01T00:00:00Z",
    });
    expect(user.role).toBe("user");
    expect(user.id).not.toBe("chosen-id");
    const row = await env.DB.prepare("SELECT role FROM users WHERE id = ?")
      .bind(user.id)
      .first<{ role: string }>();
    expect(row?.role).toBe("user");
  });

  it.each([
    ["a missing body", undefined, ["email", "password", "firstName", "lastName"]],
    ["a bad email", { email: "nope", password: PASSWORD, firstName: "A", lastName: "B" }, ["email"]],
    [
      "a short password",
      { email: uniqueEmail(), password: "short", firstName: "A", lastName: "B" },
      ["password"],
    ],
    [
      "a 129-character password",
      { email: uniqueEmail(), password: "x".repeat(129), firstName: "A", lastName: "B" },
      ["password"],
    ],
    [
      "blank names",
      { email: uniqueEmail(), password: PASSWORD, firstName: "  ", lastName: "" },
      ["firstName", "lastName"],
    ],
    [
      "a 101-character name",
      { email: uniqueEmail(), password: PASSWORD, firstName: "x".repeat(101), lastName: "B" },
      ["firstName"],
    ],
    [
      "wrong types",
      { email: 1, password: true, firstName: [], lastName: {} },
      ["email", "password", "firstName", "lastName"],
    ],
  ])("answers 400 with errors[] for %s", async (_what, body, paths) => {
    const response = await call("POST", "/api/users/register", {
      body: body ?? {},
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as Problem;
    expect(problem).toMatchObject({ status: 400, code: "validation_failed" });
    expect([...new Set(problem.errors?.map((e) => e.path))].sort()).toEqual([...paths].sort());
  });

  it("accepts an 8-character and a 128-character password", async () => {
    await expect(registerUser({ password: "12345678" })).resolves.toMatchObject({ user: { role: "user" } });
    await expect(registerUser({ password: "p".repeat(128) })).resolves.toMatchObject({
      user: { role: "user" },
    });
  });

  it("stores an argon2id hash, never the password", async () => {
    const { user } = await registerUser();
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
      .bind(user.id)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
    expect(row?.password_hash).not.toContain(PASSWORD);
  });

  it("writes user.registered to the outbox with the user and publishes it", async () => {
    const response = await call("POST", "/api/users/register", {
      headers: { "x-request-id": "req-register-event" },
      body: { email: uniqueEmail("event"), password: PASSWORD, firstName: "Eve", lastName: "Nt" },
    });
    const { user } = (await response.json()) as AuthResponse;
    const rows = await env.DB.prepare("SELECT destination, body, sent_at FROM outbox WHERE body LIKE ?")
      .bind(`%${user.id}%`)
      .all<{ destination: string; body: string; sent_at: number | null }>();
    expect(rows.results).toHaveLength(1);
    const [row] = rows.results;
    expect(row?.destination).toBe("notifications-queue");
    expect(row?.sent_at).not.toBeNull();
    expect(JSON.parse(row?.body ?? "{}")).toMatchObject({
      type: "user.registered",
      version: 1,
      source: "users",
      correlationId: "req-register-event",
      data: { userId: user.id, email: user.email, firstName: "Eve", lastName: "Nt" },
    });
  });
});
