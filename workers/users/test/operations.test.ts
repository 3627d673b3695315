import { env, exports } from "cloudflare:workers";
import type { ServiceStatus } from "@edge-shop/worker-kit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, caller, PASSWORD, registerUser } from "./helpers";

/** Every JSON line the worker logs while `fn` runs. */
async function logsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const keep = (line: unknown) => void lines.push(String(line));
  vi.spyOn(console, "log").mockImplementation(keep);
  vi.spyOn(console, "warn").mockImplementation(keep);
  vi.spyOn(console, "error").mockImplementation(keep);
  await fn();
  vi.restoreAllMocks();
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe("users logs", () => {
  it("carry neither the password, the tokens nor the full email of a registration and login", async () => {
    let secrets: string[] = [];
    const lines = await logsOf(async () => {
      const account = await registerUser();
      const login = await call("POST", "/api/users/login", {
        body: { email: account.email, password: PASSWORD },
      });
      const tokens = (await login.json()) as { token: string; refreshToken: string };
      secrets = [
        PASSWORD,
        account.email,
        account.token,
        account.refreshToken,
        tokens.token,
        tokens.refreshToken,
      ];
    });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const secret of secrets) expect(lines.join("\n")).not.toContain(secret);
    const requests = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === "request");
    expect(requests.map((r) => r.route)).toEqual(["/api/users/register", "/api/users/login"]);
  });

  it("logs an RPC call with the caller's correlation id", async () => {
    const account = await registerUser();
    const lines = await logsOf(() => exports.UsersRpc.contacts([account.user.id], "corr-rpc-1"));
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        msg: "rpc",
        service: "users",
        method: "contacts",
        correlationId: "corr-rpc-1",
      }),
    ]);
  });
});

describe("GET /internal/admin/status", () => {
  it("shows version, migrations and outbox to admins; users owns no dead-letter queue", async () => {
    expect((await call("GET", "/internal/admin/status", { as: caller("u-1") })).status).toBe(403);
    expect((await call("GET", "/internal/admin/dead-letters", { as: caller("a-1", "admin") })).status).toBe(
      404,
    );
    const response = await call("GET", "/internal/admin/status", { as: caller("a-1", "admin") });
    const status = (await response.json()) as ServiceStatus;
    expect(status).toMatchObject({
      service: "users",
      status: "OK",
      version: env.VERSION || "unknown",
      deadLetters: null,
    });
    expect(status.migrations.applied).toBeGreaterThanOrEqual(2);
    expect(status.outbox).toEqual({
      unsent: expect.any(Number),
      oldestAgeSeconds: expect.toBeOneOf([null, expect.any(Number)]),
    });
  });
});
