import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clearKeyCache, KeysUnavailableError } from "../src/auth/jwks-cache";
import { verifyAccessToken } from "../src/auth/verify-token";
import { newSigningKey, publicHalf, signToken } from "./helpers";

// A users service whose JWKS answer the test controls: its keys, or down (a 503, or a thrown error).
function users(privateJwks: string[]) {
  const state = { keys: privateJwks.map(publicHalf), down: false, fetches: 0 };
  const fetcher = {
    fetch: async () => {
      state.fetches++;
      if (state.down) return new Response("down", { status: 503 });
      return Response.json({ keys: state.keys });
    },
  } as unknown as Fetcher;
  return { fetcher, state };
}

const options = (fetcher: Fetcher) => ({
  users: fetcher,
  issuer: env.JWT_ISSUER,
  audience: env.JWT_AUDIENCE,
});
const token = (jwk?: string) => signToken({ sub: `jwks-${crypto.randomUUID()}` }, { expiresIn: "2h", jwk });
let clock = Date.now();
const advance = (ms: number) => {
  clock += ms;
  vi.setSystemTime(clock);
};

describe("the gateway's token keys under partial failure", () => {
  afterEach(() => {
    vi.useRealTimers();
    clearKeyCache();
  });

  it("keeps verifying with the keys it last fetched when users is down past their freshness", async () => {
    clearKeyCache();
    clock = Date.now();
    vi.useFakeTimers({ now: clock, toFake: ["Date"] });
    const service = users([env.TEST_SIGNING_KEY]);
    await verifyAccessToken(await token(), options(service.fetcher));
    service.state.down = true;
    advance(10 * 60_000);
    // A token never seen before: it needs the keys, which users can no longer serve.
    const identity = await verifyAccessToken(await token(), options(service.fetcher));
    expect(identity.role).toBe("user");
    expect(service.state.fetches).toBe(2);
    // Still down a few hours later: the same keys, at most one attempt per few seconds.
    advance(3 * 3600_000);
    await verifyAccessToken(await token(), options(service.fetcher));
    await verifyAccessToken(await token(), options(service.fetcher));
    expect(service.state.fetches).toBe(3);
    // Back up: the next attempt (a few seconds on) refreshes the keys.
    service.state.down = false;
    advance(6_000);
    await verifyAccessToken(await token(), options(service.fetcher));
    expect(service.state.fetches).toBe(4);
  });

  it("gives up on keys a day old (503), and never had any keys if users was down from the start", async () => {
    clearKeyCache();
    clock = Date.now();
    vi.useFakeTimers({ now: clock, toFake: ["Date"] });
    const service = users([env.TEST_SIGNING_KEY]);
    service.state.down = true;
    await expect(verifyAccessToken(await token(), options(service.fetcher))).rejects.toBeInstanceOf(
      KeysUnavailableError,
    );
    // Within a few seconds of that failure, users is not asked again.
    await expect(verifyAccessToken(await token(), options(service.fetcher))).rejects.toBeInstanceOf(
      KeysUnavailableError,
    );
    expect(service.state.fetches).toBe(1);
    service.state.down = false;
    advance(6_000);
    await verifyAccessToken(await token(), options(service.fetcher));
    service.state.down = true;
    advance(25 * 3600_000);
    await expect(verifyAccessToken(await token(), options(service.fetcher))).rejects.toBeInstanceOf(
      KeysUnavailableError,
    );
  });

  it("fetches the keys for a new kid, but at most once per few seconds however many unknown kids arrive", async () => {
    clearKeyCache();
    clock = Date.now();
    vi.useFakeTimers({ now: clock, toFake: ["Date"] });
    const rotated = await newSigningKey(`rotated-${crypto.randomUUID()}`);
    const service = users([env.TEST_SIGNING_KEY]);
    await verifyAccessToken(await token(), options(service.fetcher));
    // The new key is published; the first token signed with it is verified (users is asked again).
    service.state.keys = [env.TEST_SIGNING_KEY, rotated].map(publicHalf);
    advance(6_000);
    await verifyAccessToken(await token(rotated), options(service.fetcher));
    expect(service.state.fetches).toBe(2);
    // Made-up kids, in parallel and in a row: refused, without asking users again within the interval.
    const madeUp = await Promise.all(
      Array.from({ length: 5 }, () => signToken({}, { kid: `bogus-${crypto.randomUUID()}` })),
    );
    for (const bogus of madeUp)
      await expect(verifyAccessToken(bogus, options(service.fetcher))).rejects.toThrow();
    expect(service.state.fetches).toBe(2);
    advance(6_000);
    await expect(verifyAccessToken(madeUp[0] ?? "", options(service.fetcher))).rejects.toThrow();
    expect(service.state.fetches).toBe(3);
  });
});
