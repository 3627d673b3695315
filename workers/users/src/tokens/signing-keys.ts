import type { Jwks } from "@edge-shop/contracts";
import { importJWK } from "jose";
import { z } from "zod";

const PrivateJwkSchema = z.object({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: z.string().min(1),
  d: z.string().min(1),
  kid: z.string().min(1).max(100),
});
const PrivateJwksSchema = z.array(PrivateJwkSchema).min(1);

export interface SigningKeys {
  /** The first key of JWT_PRIVATE_KEYS: it signs every new token. */
  current: { kid: string; key: CryptoKey };
  /** Every key's public part: tokens signed by any of them verify until they expire. */
  jwks: Jwks;
}

let cache: { source: string; keys: Promise<SigningKeys> } | undefined;

async function load(source: string): Promise<SigningKeys> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    throw new Error("JWT_PRIVATE_KEYS is not JSON");
  }
  const result = PrivateJwksSchema.safeParse(parsed);
  if (!result.success)
    throw new Error("JWT_PRIVATE_KEYS must be a JSON array of Ed25519 private JWKs with kid");
  const jwks = result.data;
  const [first] = jwks;
  if (!first) throw new Error("JWT_PRIVATE_KEYS is empty");
  const key = await importJWK({ kty: first.kty, crv: first.crv, x: first.x, d: first.d }, "EdDSA");
  if (!(key instanceof CryptoKey)) throw new Error("JWT_PRIVATE_KEYS: the first key does not import");
  return {
    current: { kid: first.kid, key },
    jwks: {
      keys: jwks.map(({ kty, crv, x, kid }) => ({ kty, crv, x, kid, alg: "EdDSA", use: "sig" })),
    },
  };
}

/**
 * Reads the `JWT_PRIVATE_KEYS` secret (a JSON array of private Ed25519 JWKs, each with a `kid`), once per
 * isolate and value. Rotation: put the new key first and keep the old one after it until every token it
 * signed has expired (ACCESS_TOKEN_TTL_SECONDS), then remove it.
 */
export function signingKeys(source: string | undefined): Promise<SigningKeys> {
  if (!source) return Promise.reject(new Error("JWT_PRIVATE_KEYS is not set"));
  if (cache?.source !== source) {
    const keys = load(source);
    // A failed load is not cached: the next request retries (e.g. after the secret is fixed).
    keys.catch(() => {
      if (cache?.keys === keys) cache = undefined;
    });
    cache = { source, keys };
  }
  return cache.keys;
}
