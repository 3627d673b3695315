import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { login as loginDirect } from "../src/domain/accounts";
import { FREE_FAILURES } from "../src/domain/lockout";
import { login, PASSWORD, registerUser } from "./helpers";

async function lockState(userId: string) {
  return env.DB.prepare(
    "SELECT failed_logins AS failures, locked_until AS lockedUntil FROM users WHERE id = ?",
  )
    .bind(userId)
    .first<{ failures: number; lockedUntil: number | null }>();
}

async function fail(email: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) expect((await login(email, "wrong-password")).status).toBe(401);
}

describe("failed-login lockout", () => {
  it("locks after 5 consecutive failures: even the right password gets the same 401", async () => {
    const { email, user } = await registerUser();
    await fail(email, FREE_FAILURES - 1);
    expect(await lockState(user.id)).toEqual({ failures: 4, lockedUntil: null });
    await fail(email, 1);
    const state = await lockState(user.id);
    expect(state?.failures).toBe(5);
    expect(state?.lockedUntil).toBeGreaterThan(Date.now() + 50_000);
    expect(state?.lockedUntil).toBeLessThanOrEqual(Date.now() + 60_000);

    const locked = await login(email, PASSWORD);
    expect(locked.status).toBe(401);
    expect(await locked.json()).toMatchObject({ code: "invalid_credentials", detail: "Invalid credentials" });
    // Attempts while locked neither count nor extend the lock.
    await fail(email, 2);
    expect(await lockState(user.id)).toEqual(state);
  });

  it("expires: after the lock the right password works and resets the count", async () => {
    const { email, user } = await registerUser();
    await fail(email, FREE_FAILURES);
    const db = database(env.DB);
    await expect(loginDirect(db, email, PASSWORD, Date.now())).rejects.toMatchObject({ status: 401 });
    const afterLock = Date.now() + 61_000;
    await expect(loginDirect(db, email, PASSWORD, afterLock)).resolves.toMatchObject({ id: user.id });
    expect(await lockState(user.id)).toEqual({ failures: 0, lockedUntil: null });
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it("grows the lock with further failures, capped at 15 minutes", async () => {
    const { email, user } = await registerUser();
    await fail(email, FREE_FAILURES);
    const db = database(env.DB);
    let now = Date.now();
    for (const minutes of [2, 4, 8, 15, 15]) {
      const state = await lockState(user.id);
      now = (state?.lockedUntil ?? now) + 1;
      await expect(loginDirect(db, email, "wrong-password", now)).rejects.toMatchObject({ status: 401 });
      expect((await lockState(user.id))?.lockedUntil).toBe(now + minutes * 60_000);
    }
  });

  it("resets the count on a success before the threshold", async () => {
    const { email, user } = await registerUser();
    await fail(email, FREE_FAILURES - 1);
    expect((await login(email, PASSWORD)).status).toBe(200);
    expect(await lockState(user.id)).toEqual({ failures: 0, lockedUntil: null });
    await fail(email, FREE_FAILURES - 1);
    expect((await login(email, PASSWORD)).status).toBe(200);
  });
});
