import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminSql } from "../seed/admin-sql";
import { SEED_ADMIN, seedSql } from "../seed/seed";
import { hashPassword } from "../src/domain/password";
import { login, registerUser } from "./helpers";

async function countByEmail(email: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?")
    .bind(email)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("local seed", () => {
  it("creates the admin once, with a password that logs in as admin", async () => {
    await env.DB.exec(await seedSql());
    await env.DB.exec(await seedSql());
    expect(await countByEmail(SEED_ADMIN.email)).toBe(1);
    const response = await login(SEED_ADMIN.email, SEED_ADMIN.password);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { email: SEED_ADMIN.email, role: "admin" } });
  });
});

describe("create-admin SQL", () => {
  it("creates a new admin", async () => {
    const email = `ops-${crypto.randomUUID()}@example.com`;
    const sql = adminSql(
      {
        id: crypto.randomUUID(),
        email,
        passwordHash: await hashPassword("ops-password-1"),
        firstName: "O'Brien",
        lastName: "Ops",
        now: Date.now(),
      },
      "promote",
    );
    await env.DB.exec(sql);
    const response = await login(email, "ops-password-1");
    expect(await response.json()).toMatchObject({ user: { role: "admin", firstName: "O'Brien" } });
  });

  it("promotes an existing user and keeps their password and id", async () => {
    const { email, password, user } = await registerUser();
    await env.DB.exec(
      adminSql(
        {
          id: "ignored",
          email,
          passwordHash: await hashPassword("not-used-password"),
          firstName: "X",
          lastName: "Y",
          now: Date.now(),
        },
        "promote",
      ),
    );
    expect(await countByEmail(email)).toBe(1);
    const response = await login(email, password);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { id: user.id, role: "admin", firstName: "Ada" } });
  });
});
