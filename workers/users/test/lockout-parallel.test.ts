import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { countingD1 } from "../../../packages/worker-kit/test/call-counters";
import { database } from "../src/db/client";
import { CLAIM_TTL_MS, FREE_FAILURES } from "../src/domain/lockout";
import { kdf } from "../src/domain/password";
import { checkPassword } from "../src/domain/password-check";
import { call, PASSWORD, registerUser, uniqueEmail } from "./helpers";

afterEach(() => vi.restoreAllMocks());

/** Counts argon2id runs against a real account's hash (the dummy hash of unknown accounts has an all-zero salt). */
function countEvaluations() {
  const spy = vi.spyOn(kdf, "argon2id");
  return () => spy.mock.calls.filter(([, salt]) => salt.some((byte) => byte !== 0)).length;
}

async function lockState(userId: string) {
  return env.DB.prepare(
    "SELECT failed_logins AS failures, locked_until AS lockedUntil, login_claims AS claims FROM users WHERE id = ?",
  )
    .bind(userId)
    .first<{ failures: number; lockedUntil: number | null; claims: number }>();
}

const loginFrom = (ip: string, email: string, password: string) =>
  call("POST", "/api/users/login", { body: { email, password }, headers: { "cf-connecting-ip": ip } });

describe("lockout under parallel guesses", () => {
  it("30 parallel logins from 30 addresses, 29 wrong and 1 right: at most 5 are evaluated, the account ends locked", async () => {
    const { email, user } = await registerUser();
    const evaluations = countEvaluations();
    const right = Math.floor(Math.random() * 30);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        loginFrom(`203.0.113.${i + 1}`, email, i === right ? PASSWORD : `wrong-password-${i}`),
      ),
    );
    expect(evaluations()).toBeLessThanOrEqual(FREE_FAILURES);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(29);
    // Every refusal is the same 401 as a wrong password.
    const refused = answers.find((a) => a.status === 401);
    expect(await refused?.json()).toMatchObject({
      code: "invalid_credentials",
      detail: "Invalid credentials",
    });
    const state = await lockState(user.id);
    expect(state?.lockedUntil).toBeGreaterThan(Date.now());
    expect(state?.claims).toBe(0);
    expect((await call("POST", "/api/users/login", { body: { email, password: PASSWORD } })).status).toBe(
      401,
    );
  });

  it("grants as many checks at once as failures are left, and one at a time after a lock expired", async () => {
    const { email, user } = await registerUser();
    const evaluations = countEvaluations();
    await Promise.all([1, 2].map(() => loginFrom("203.0.113.200", email, "wrong-password")));
    expect(evaluations()).toBe(2);
    // 3 failures left: of 6 at once, 3 are checked and the rest lock the account.
    await Promise.all(Array.from({ length: 6 }, () => loginFrom("203.0.113.201", email, "wrong-password")));
    expect(evaluations()).toBe(2 + 3);
    expect((await lockState(user.id))?.failures).toBe(5);

    // After the lock: one check at a time (each failure locks again, for longer).
    const db = database(env.DB);
    const later = ((await lockState(user.id))?.lockedUntil ?? 0) + 1;
    const checks = await Promise.all(
      [1, 2, 3].map(() => checkPassword(db, { email }, "wrong-password", { now: later, rehash: false })),
    );
    expect(checks).toEqual([null, null, null]);
    expect(evaluations()).toBe(2 + 3 + 1);
    expect((await lockState(user.id))?.lockedUntil).toBeGreaterThanOrEqual(later + 2 * 60_000);
  });

  it("a right password checked beside a burst logs in, and the lock the burst set stays", async () => {
    const { email, user } = await registerUser();
    const answers = await Promise.all([
      loginFrom("203.0.113.210", email, PASSWORD),
      ...Array.from({ length: 8 }, (_, i) => loginFrom(`203.0.113.${211 + i}`, email, "wrong-password")),
    ]);
    // The right one was claimed first (it was sent first), so it was checked.
    expect(answers[0]?.status).toBe(200);
    const state = await lockState(user.id);
    expect(state?.lockedUntil).toBeGreaterThan(Date.now());
  });

  it("forgets a claim that never settled (the isolate died mid-hash) after CLAIM_TTL_MS", async () => {
    const { email, user } = await registerUser();
    const now = Date.now();
    await env.DB.prepare("UPDATE users SET login_claims = ?, claims_expire_at = ? WHERE id = ?")
      .bind(FREE_FAILURES, now + CLAIM_TTL_MS, user.id)
      .run();
    const db = database(env.DB);
    // While the stale claims count, no check is granted (and the account locks: more checks than allowed).
    expect(await checkPassword(db, { email }, PASSWORD, { now, rehash: false })).toBeNull();
    await env.DB.prepare("UPDATE users SET locked_until = NULL WHERE id = ?").bind(user.id).run();
    const afterTtl = now + CLAIM_TTL_MS + 1;
    expect(await checkPassword(db, { email }, PASSWORD, { now: afterTtl, rehash: false })).toMatchObject({
      id: user.id,
    });
    expect(await lockState(user.id)).toMatchObject({ failures: 0, claims: 0 });
  });

  it("an unknown email and a disabled account cost what a wrong password costs; a locked one costs no hash", async () => {
    const { email: wrongEmail } = await registerUser();
    const { email: lockedEmail, user: locked } = await registerUser();
    const { email: disabledEmail, user: disabled } = await registerUser();
    await env.DB.prepare("UPDATE users SET locked_until = ? WHERE id = ?")
      .bind(Date.now() + 60_000, locked.id)
      .run();
    await env.DB.prepare("UPDATE users SET disabled = 1 WHERE id = ?").bind(disabled.id).run();
    const spy = vi.spyOn(kdf, "argon2id");
    const cases: [string, string, { hashes: number; writes: number }][] = [
      [wrongEmail, "wrong-password", { hashes: 1, writes: 2 }],
      [uniqueEmail("nobody"), PASSWORD, { hashes: 1, writes: 2 }],
      [disabledEmail, PASSWORD, { hashes: 1, writes: 2 }],
      [lockedEmail, PASSWORD, { hashes: 0, writes: 1 }],
    ];
    for (const [email, password, cost] of cases) {
      const counter = countingD1(env.DB);
      spy.mockClear();
      const check = checkPassword(database(counter.d1), { email }, password, {
        now: Date.now(),
        rehash: true,
      });
      expect(await check).toBeNull();
      expect(spy).toHaveBeenCalledTimes(cost.hashes);
      expect(counter.calls).toMatchObject({ reads: 0, writes: cost.writes, batches: 0 });
    }
  });
});
