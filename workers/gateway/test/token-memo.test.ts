import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clearKeyCache } from "../src/auth/jwks-cache";
import { verifyAccessToken } from "../src/auth/verify-token";
import { newSigningKey, publicHalf, signToken } from "./helpers";

// A users service that serves the JWKS of the given private keys (their public halves), and counts the fetches.
function usersServing(privateJwks: string[]) {
  const served = { keys: privateJwks.map(publicHalf), fetches: 0 };
  const fetcher = {
    fetch: async () => {
      served.fetches++;
      return Response.json({ keys: served.keys });
    },
  } as unknown as Fetcher;
  return { fetcher, served };
}

const options = (users: Fetcher) => ({ users, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE });

describe("the gateway's memory of verified tokens", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    clearKeyCache();
  });

  it("answers the same identity for a token it verified before", async () => {
    clearKeyCache();
    const { fetcher } = usersServing([env.TEST_SIGNING_KEY]);
    const token = await signToken({ sub: `memo-${crypto.randomUUID()}`, role: "admin" });
    const signatureChecks = vi.spyOn(crypto.subtle, "verify");
    const first = await verifyAccessToken(token, options(fetcher));
    expect(await verifyAccessToken(token, options(fetcher))).toEqual(first);
    expect(first.role).toBe("admin");
    expect(signatureChecks).toHaveBeenCalledTimes(1);
  });

  it("forgets what it verified when the keys change: a token of a withdrawn key is refused", async () => {
    clearKeyCache();
    const withdrawn = await newSigningKey("withdrawn-key");
    const before = usersServing([withdrawn]);
    const token = await signToken({ sub: `memo-${crypto.randomUUID()}` }, { jwk: withdrawn });
    await verifyAccessToken(token, options(before.fetcher));
    clearKeyCache();
    const after = usersServing([env.TEST_SIGNING_KEY]);
    await expect(verifyAccessToken(token, options(after.fetcher))).rejects.toThrow();
  });

  it("refuses a remembered token once it has expired", async () => {
    clearKeyCache();
    const { fetcher } = usersServing([env.TEST_SIGNING_KEY]);
    const token = await signToken({ sub: `memo-${crypto.randomUUID()}` }, { expiresIn: "1m" });
    await verifyAccessToken(token, options(fetcher));
    vi.useFakeTimers({ now: Date.now() + 2 * 60_000, toFake: ["Date"] });
    await expect(verifyAccessToken(token, options(fetcher))).rejects.toThrow(/exp/);
  });

  it("does not reuse a verdict for another audience or issuer", async () => {
    clearKeyCache();
    const { fetcher } = usersServing([env.TEST_SIGNING_KEY]);
    const token = await signToken({ sub: `memo-${crypto.randomUUID()}` });
    await verifyAccessToken(token, options(fetcher));
    await expect(
      verifyAccessToken(token, { ...options(fetcher), audience: "someone-else" }),
    ).rejects.toThrow();
    await expect(verifyAccessToken(token, { ...options(fetcher), issuer: "someone-else" })).rejects.toThrow();
  });
});
