import { env } from "cloudflare:workers";
import type { TokenPair } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { hashRefreshToken, rotateRefreshToken } from "../src/domain/sessions";
import { call, caller, login, PASSWORD, registerUser } from "./helpers";

function refresh(refreshToken: unknown): Promise<Response> {
  return call("POST", "/api/users/refresh", { body: { refreshToken } });
}

async function refreshOk(refreshToken: string): Promise<TokenPair> {
  const response = await refresh(refreshToken);
  expect(response.status).toBe(200);
  return (await response.json()) as TokenPair;
}

async function expectRefused(refreshToken: string): Promise<void> {
  const response = await refresh(refreshToken);
  expect(response.status).toBe(401);
  expect(await response.json()).toMatchObject({ status: 401, code: "invalid_refresh_token" });
}

describe("POST /api/users/refresh", () => {
  it("returns a new access token and a new refresh token, and stores only hashes", async () => {
    const { refreshToken } = await registerUser();
    const pair = await refreshOk(refreshToken);
    expect(Object.keys(pair).sort()).toEqual(["refreshToken", "token"]);
    expect(pair.refreshToken).not.toBe(refreshToken);
    const stored = await env.DB.prepare(
      "SELECT token_hash FROM refresh_tokens WHERE token_hash IN (?, ?, ?, ?)",
    )
      .bind(
        refreshToken,
        pair.refreshToken,
        await hashRefreshToken(refreshToken),
        await hashRefreshToken(pair.refreshToken),
      )
      .all<{ token_hash: string }>();
    expect(stored.results.map((r) => r.token_hash).sort()).toEqual(
      [await hashRefreshToken(refreshToken), await hashRefreshToken(pair.refreshToken)].sort(),
    );
  });

  it("rotates: a refresh token works once; reusing it revokes the whole family", async () => {
    const { refreshToken: first } = await registerUser();
    const second = (await refreshOk(first)).refreshToken;
    const third = (await refreshOk(second)).refreshToken;

    await expectRefused(first); // replay of a used token: theft assumed
    await expectRefused(third); // the legitimate latest token died with its family
  });

  it("does not touch the user's other sessions when one family is revoked", async () => {
    const { email, refreshToken: first } = await registerUser();
    const other = ((await (await login(email, PASSWORD)).json()) as TokenPair).refreshToken;
    await refreshOk(first);
    await expectRefused(first);
    await refreshOk(other);
  });

  it("treats two concurrent uses of a token as a reuse: one wins, then the family is revoked", async () => {
    const { refreshToken } = await registerUser();
    const responses = await Promise.all([refresh(refreshToken), refresh(refreshToken)]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = responses.find((r) => r.status === 200);
    if (!winner) throw new Error("no refresh won");
    const successor = ((await winner.json()) as TokenPair).refreshToken;
    await expectRefused(successor);
  });

  it("refuses an unknown, expired or malformed token", async () => {
    await expectRefused("x".repeat(43));
    const { refreshToken } = await registerUser();
    const db = database(env.DB);
    const later = Date.now() + 31 * 24 * 3600_000;
    await expect(rotateRefreshToken(db, refreshToken, { ttlMs: 1000, now: later })).rejects.toMatchObject({
      status: 401,
    });
    const missing = await call("POST", "/api/users/refresh", { body: {} });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ errors: [{ path: "refreshToken" }] });
    expect((await refresh(42)).status).toBe(400);
  });

  it("signs the new access token with the user's current role", async () => {
    const { refreshToken, user } = await registerUser();
    await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(user.id).run();
    const { token } = await refreshOk(refreshToken);
    const [, payload] = token.split(".");
    expect(JSON.parse(atob((payload ?? "").replaceAll("-", "+").replaceAll("_", "/")))).toMatchObject({
      sub: user.id,
      role: "admin",
    });
  });
});

describe("POST /api/users/logout", () => {
  it("revokes the refresh token (204), after which it is refused", async () => {
    const { refreshToken, user } = await registerUser();
    const response = await call("POST", "/api/users/logout", {
      as: caller(user.id),
      body: { refreshToken },
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    await expectRefused(refreshToken);
  });

  it("revokes the rotated descendants of the session too", async () => {
    const { refreshToken, user } = await registerUser();
    const next = (await refreshOk(refreshToken)).refreshToken;
    await call("POST", "/api/users/logout", { as: caller(user.id), body: { refreshToken: next } });
    await expectRefused(next);
  });

  it("cannot revoke another user's session", async () => {
    const victim = await registerUser();
    const attacker = await registerUser();
    const response = await call("POST", "/api/users/logout", {
      as: caller(attacker.user.id),
      body: { refreshToken: victim.refreshToken },
    });
    expect(response.status).toBe(204);
    await refreshOk(victim.refreshToken);
  });

  it("requires the caller's identity and a refresh token", async () => {
    const { refreshToken, user } = await registerUser();
    expect((await call("POST", "/api/users/logout", { body: { refreshToken } })).status).toBe(401);
    expect((await call("POST", "/api/users/logout", { as: caller(user.id), body: {} })).status).toBe(400);
  });
});
