import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { adminToken, api, eventually, expectJson, freshIp, registerUser } from "./client";
import { emailedLink, LOCAL_SHOP_ORIGIN } from "./mailbox";

interface User {
  id: string;
  email: string;
  emailVerified: boolean;
  disabled: boolean;
  role: string;
}

const NEW_PASSWORD = "the-new-password-1";
let admin: string;

beforeAll(async () => {
  admin = await adminToken();
});

const login = (email: string, password: string, ip = freshIp()) =>
  api("/api/users/login", { method: "POST", ip, json: { email, password } });

describe("email verification through the gateway", () => {
  it("the welcome email links to <origin>/#/verify-email?token=…; using it verifies the address, once", async () => {
    const buyer = await registerUser();
    expect((buyer.user as unknown as User).emailVerified).toBe(false);
    const { link, token, email } = await emailedLink(buyer.token, "user.registered");
    expect(email.to).toBe(buyer.email);
    expect(link).toBe(`${LOCAL_SHOP_ORIGIN}/#/verify-email?token=${token}`);
    const { user } = await expectJson<{ user: User }>(
      await api("/api/users/verify-email", { method: "POST", json: { token } }),
      200,
    );
    expect(user).toMatchObject({ id: buyer.user.id, emailVerified: true });
    const again = await api("/api/users/verify-email", { method: "POST", json: { token } });
    expect(await expectJson(again, 400)).toMatchObject({ code: "invalid_token" });
    expect(
      await expectJson(
        await api("/api/users/verify-email/request", { method: "POST", token: buyer.token }),
        202,
      ),
    ).toEqual({ message: "Your email address is already verified." });
  });
});

describe("password reset through the gateway", () => {
  it("forgot answers the same for anyone; the link resets the password once and ends every session", async () => {
    const buyer = await registerUser();
    const forgot = (email: string) => api("/api/users/password/forgot", { method: "POST", json: { email } });
    const known = await forgot(buyer.email);
    const unknown = await forgot(`nobody-${crypto.randomUUID()}@example.com`);
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(await known.json()).toEqual(await unknown.json());

    const { link, token } = await emailedLink(buyer.token, "user.password_reset_requested");
    expect(link).toBe(`${LOCAL_SHOP_ORIGIN}/#/reset-password?token=${token}`);
    const reset = await api("/api/users/password/reset", {
      method: "POST",
      json: { token, password: NEW_PASSWORD },
    });
    expect(reset.status).toBe(204);
    const reused = await api("/api/users/password/reset", {
      method: "POST",
      json: { token, password: "x".repeat(9) },
    });
    expect(await expectJson(reused, 400)).toMatchObject({ code: "invalid_token" });
    const refresh = await api("/api/users/refresh", {
      method: "POST",
      json: { refreshToken: buyer.refreshToken },
    });
    expect(refresh.status).toBe(401);
    expect((await login(buyer.email, buyer.password)).status).toBe(401);
    expect((await login(buyer.email, NEW_PASSWORD)).status).toBe(200);
  });
});

describe("email change through the gateway", () => {
  it("a link to the new address switches the login email; the old address is told", async () => {
    const buyer = await registerUser();
    const newEmail = `moved-${crypto.randomUUID()}@example.com`;
    const asked = await api("/api/users/email", {
      method: "POST",
      token: buyer.token,
      json: { newEmail, currentPassword: buyer.password },
    });
    expect(asked.status).toBe(202);
    const { token, email } = await emailedLink(buyer.token, "user.email_change_requested");
    expect(email.to).toBe(newEmail);
    const { user } = await expectJson<{ user: User }>(
      await api("/api/users/verify-email", { method: "POST", json: { token } }),
      200,
    );
    expect(user).toMatchObject({ email: newEmail, emailVerified: true });
    await eventually(async () => {
      const { notifications } = await expectJson<{ notifications: { eventType: string; to: string }[] }>(
        await api("/api/notifications?limit=100", { token: buyer.token }),
        200,
      );
      return notifications.find((n) => n.eventType === "user.email_changed" && n.to === buyer.email);
    }, 30_000);
    expect((await login(newEmail, buyer.password)).status).toBe(200);
    expect((await login(buyer.email, buyer.password)).status).toBe(401);
  });
});

describe("user admin through the gateway", () => {
  it("finds an account, disables it (the same 401 as a wrong password, sessions ended), enables it", async () => {
    const buyer = await registerUser({ firstName: `Findme${crypto.randomUUID().slice(0, 8)}` });
    const found = await expectJson<{ users: User[] }>(
      await api(`/api/admin/users?search=${encodeURIComponent(buyer.email)}`, { token: admin }),
      200,
    );
    expect(found.users.map((u) => u.id)).toEqual([buyer.user.id]);
    expect((await api("/api/admin/users", { token: buyer.token })).status).toBe(403);

    const disabled = await expectJson<{ user: User }>(
      await api(`/api/admin/users/${buyer.user.id}`, {
        method: "PATCH",
        token: admin,
        json: { disabled: true },
      }),
      200,
    );
    expect(disabled.user.disabled).toBe(true);
    const refused = await login(buyer.email, buyer.password);
    const wrong = await login(buyer.email, "wrong-password-1");
    expect(refused.status).toBe(401);
    const strip = async (response: Response) => {
      const { requestId: _, ...rest } = (await response.json()) as Record<string, unknown>;
      return rest;
    };
    expect(await strip(refused)).toEqual(await strip(wrong));
    const refresh = await api("/api/users/refresh", {
      method: "POST",
      json: { refreshToken: buyer.refreshToken },
    });
    expect(refresh.status).toBe(401);

    await expectJson(
      await api(`/api/admin/users/${buyer.user.id}`, {
        method: "PATCH",
        token: admin,
        json: { disabled: false },
      }),
      200,
    );
    expect((await login(buyer.email, buyer.password)).status).toBe(200);
  });

  it("an admin cannot demote or disable themself (409)", async () => {
    const { users } = await expectJson<{ users: User[] }>(
      await api("/api/admin/users?search=admin%40example.com", { token: admin }),
      200,
    );
    const [self] = users;
    for (const json of [{ role: "user" }, { disabled: true }]) {
      const response = await api(`/api/admin/users/${self?.id}`, { method: "PATCH", token: admin, json });
      expect(await expectJson(response, 409)).toMatchObject({ code: "cannot_change_self" });
    }
  });
});

const stackLog = inject("stackLog");

describe.skipIf(stackLog === "")("lockout under parallel guesses, through the gateway", () => {
  it("30 parallel logins from 30 addresses, 29 wrong and 1 right: at most 5 are evaluated, the account ends locked", async () => {
    const victim = await registerUser();
    const right = Math.floor(Math.random() * 30);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        login(victim.email, i === right ? victim.password : `wrong-guess-${i}`, freshIp()),
      ),
    );
    expect(answers.filter((a) => a.status === 401).length).toBeGreaterThanOrEqual(29);
    // The users service logs one line per password check, evaluated or not.
    const checks = await eventually(async () => {
      const text = await readFile(stackLog, "utf8");
      const lines = text
        .split("\n")
        .filter((line) => line.includes('"password check"') && line.includes(victim.user.id));
      return lines.length >= 30 ? lines : undefined;
    });
    const evaluated = checks.filter((line) => !line.includes('"not_evaluated"'));
    expect(evaluated.length).toBeLessThanOrEqual(5);
    // Locked: the right password is refused too.
    expect((await login(victim.email, victim.password)).status).toBe(401);
  });
});
