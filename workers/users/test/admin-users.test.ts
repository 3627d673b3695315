import { env } from "cloudflare:workers";
import type { Problem, User } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { call, caller, login, PASSWORD, registerUser } from "./helpers";

const ADMIN = caller("admin-of-the-tests", "admin");

async function list(query: string, as = ADMIN) {
  const response = await call("GET", `/api/admin/users?${query}`, { as });
  return { response, body: (await response.json()) as { users: User[]; pagination: { total: number } } };
}

const patch = (id: string, body: unknown, as = ADMIN) =>
  call("PATCH", `/api/admin/users/${encodeURIComponent(id)}`, { as, body });

async function makeAdmin(): Promise<string> {
  const { user } = await registerUser();
  await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(user.id).run();
  return user.id;
}

describe("GET /api/admin/users", () => {
  it("is for admins only (401, 403)", async () => {
    const { user } = await registerUser();
    expect((await call("GET", "/api/admin/users")).status).toBe(401);
    expect((await list("", caller(user.id))).response.status).toBe(403);
  });

  it("searches email, first, last and full name (case-insensitive), filters by role, pages", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const { user } = await registerUser({
      firstName: `Grace${tag}`,
      lastName: "Hopper",
      email: `gh-${tag}@example.com`,
    });
    for (const search of [`GH-${tag}`, `grace${tag}`, `Grace${tag} hop`]) {
      const { body } = await list(`search=${encodeURIComponent(search)}`);
      expect(body.users.map((u) => u.id)).toEqual([user.id]);
    }
    expect((await list(`search=${tag}&role=admin`)).body.users).toEqual([]);
    const adminId = await makeAdmin();
    const admins = await list("role=admin&limit=100");
    expect(admins.body.users.every((u) => u.role === "admin")).toBe(true);
    expect(admins.body.users.map((u) => u.id)).toContain(adminId);
    const page = await list("limit=1&page=2");
    expect(page.body.users).toHaveLength(1);
    expect(page.body.pagination).toMatchObject({ page: 2, limit: 1 });
    expect((await list("limit=101")).response.status).toBe(400);
  });

  it("matches % and _ literally, and a whole long email (D1 refuses LIKE patterns over 50 bytes)", async () => {
    expect((await list(`search=${encodeURIComponent("%")}`)).body.users).toEqual([]);
    const long = `a-rather-long-address-${crypto.randomUUID()}@example.com`;
    const { user } = await registerUser({ email: long });
    expect((await list(`search=${encodeURIComponent(long)}`)).body.users.map((u) => u.id)).toEqual([user.id]);
  });
});

describe("PATCH /api/admin/users/:id", () => {
  it("disables: the same 401 as a wrong password at login and refresh, sessions revoked; enabling restores login", async () => {
    const { user, email, refreshToken } = await registerUser();
    const response = await patch(user.id, { disabled: true });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { user: User }).user).toMatchObject({ id: user.id, disabled: true });

    const disabled = await login(email, PASSWORD);
    const wrong = await login(email, "wrong-password");
    expect(disabled.status).toBe(401);
    const { requestId: _a, ...disabledBody } = (await disabled.json()) as Problem;
    const { requestId: _b, ...wrongBody } = (await wrong.json()) as Problem;
    expect(disabledBody).toEqual(wrongBody);
    expect((await call("POST", "/api/users/refresh", { body: { refreshToken } })).status).toBe(401);
    const live = await env.DB.prepare(
      "SELECT count(*) AS n FROM refresh_tokens WHERE user_id = ? AND revoked_at IS NULL",
    )
      .bind(user.id)
      .first<{ n: number }>();
    expect(live?.n).toBe(0);

    expect((await patch(user.id, { disabled: false })).status).toBe(200);
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it("changes roles; an admin cannot demote or disable themself (409), nor take away the last admin", async () => {
    const { user } = await registerUser();
    const promoted = await patch(user.id, { role: "admin" });
    expect(((await promoted.json()) as { user: User }).user.role).toBe("admin");
    const self = caller(user.id, "admin");
    for (const body of [{ role: "user" }, { disabled: true }]) {
      const refused = await patch(user.id, body, self);
      expect(refused.status).toBe(409);
      expect((await refused.json()) as Problem).toMatchObject({ code: "cannot_change_self" });
    }
    expect((await patch(user.id, { role: "admin" }, self)).status).toBe(200);
    expect((await patch(user.id, { role: "user" })).status).toBe(200);
  });

  it("keeps one enabled admin: demoting the last one is 409 last_admin", async () => {
    const admins = await env.DB.prepare("SELECT id FROM users WHERE role = 'admin' AND disabled = 0").all<{
      id: string;
    }>();
    const ids = admins.results.map((r) => r.id);
    const keep = ids.pop() ?? (await makeAdmin());
    for (const id of ids) expect((await patch(id, { role: "user" })).status).toBe(200);
    const last = await patch(keep, { disabled: true });
    expect(last.status).toBe(409);
    expect((await last.json()) as Problem).toMatchObject({ code: "last_admin" });
    for (const id of ids) expect((await patch(id, { role: "admin" })).status).toBe(200);
  });

  it("is 404 for an unknown account, 400 for an empty or wrong body, 403 for a user", async () => {
    const { user } = await registerUser();
    expect((await patch("nobody", { disabled: true })).status).toBe(404);
    expect((await patch(user.id, {})).status).toBe(400);
    expect((await patch(user.id, { role: "root" })).status).toBe(400);
    expect((await patch(user.id, { disabled: true }, caller(user.id))).status).toBe(403);
  });
});
