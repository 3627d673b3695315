import { env } from "cloudflare:workers";
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  importJWK,
  type JSONWebKeySet,
  jwtVerify,
  SignJWT,
} from "jose";
import { describe, expect, it } from "vitest";
import { app } from "../src/app";
import { signingKeys } from "../src/tokens/signing-keys";
import { call, registerUser } from "./helpers";

async function jwks(): Promise<JSONWebKeySet> {
  const response = await call("GET", "/.well-known/jwks.json");
  expect(response.status).toBe(200);
  return (await response.json()) as JSONWebKeySet;
}

const verifyOptions = () => ({
  issuer: env.JWT_ISSUER,
  audience: env.JWT_AUDIENCE,
  algorithms: ["EdDSA"],
  requiredClaims: ["exp", "sub", "iat"],
});

describe("access tokens and the JWKS", () => {
  it("publishes every configured key, public parts only, the signing key first", async () => {
    const set = await jwks();
    expect(set.keys.map((k) => k.kid)).toEqual(["test-key-new", "test-key-old"]);
    for (const key of set.keys) {
      expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x"]);
      expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    }
  });

  it("signs EdDSA tokens with kid, iss, aud, sub, role, iat and a 15-minute exp that verify with the JWKS", async () => {
    const { token, user } = await registerUser();
    expect(decodeProtectedHeader(token)).toEqual({ alg: "EdDSA", kid: "test-key-new", typ: "JWT" });
    const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks()), verifyOptions());
    expect(payload).toEqual({
      sub: user.id,
      role: "user",
      iss: env.JWT_ISSUER,
      aud: env.JWT_AUDIENCE,
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(900);
  });

  it("is refused once expired, or for another audience or issuer", async () => {
    const { token } = await registerUser();
    const keys = createLocalJWKSet(await jwks());
    const later = new Date(Date.now() + 901_000);
    await expect(jwtVerify(token, keys, { ...verifyOptions(), currentDate: later })).rejects.toMatchObject({
      code: "ERR_JWT_EXPIRED",
    });
    await expect(jwtVerify(token, keys, { ...verifyOptions(), audience: "other" })).rejects.toThrow();
    await expect(jwtVerify(token, keys, { ...verifyOptions(), issuer: "other" })).rejects.toThrow();
  });

  it("keeps tokens signed by the previous key valid during a rotation", async () => {
    const [, old] = JSON.parse(env.JWT_PRIVATE_KEYS) as (JsonWebKey & { kid: string })[];
    if (!old) throw new Error("the test config has two keys");
    const token = await new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "EdDSA", kid: old.kid })
      .setIssuer(env.JWT_ISSUER)
      .setAudience(env.JWT_AUDIENCE)
      .setSubject("someone")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(await importJWK(old, "EdDSA"));
    const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks()), verifyOptions());
    expect(payload.sub).toBe("someone");
  });

  it("refuses a misconfigured JWT_PRIVATE_KEYS", async () => {
    await expect(signingKeys(undefined)).rejects.toThrow(/not set/);
    await expect(signingKeys("nope")).rejects.toThrow(/not JSON/);
    await expect(signingKeys("[]")).rejects.toThrow(/array of Ed25519/);
    await expect(signingKeys('[{"kty":"OKP","crv":"Ed25519","x":"a","d":"b"}]')).rejects.toThrow(/kid/);
  });

  it("answers the JWKS with a 500 problem, not a stack, when the secret is broken", async () => {
    // Direct call to the app with a broken env: the real binding stays untouched.
    const response = await app.request("/.well-known/jwks.json", {}, { ...env, JWT_PRIVATE_KEYS: "nope" });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("JWT_PRIVATE_KEYS");
  });
});
