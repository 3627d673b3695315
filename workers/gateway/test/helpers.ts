import { env, exports } from "cloudflare:workers";
import { importJWK, type JWTPayload, SignJWT } from "jose";

let ipCounter = 0;

/** A client address no other test uses, so rate-limit windows never leak between tests. */
export function freshIp(): string {
  ipCounter++;
  return `203.0.113.${ipCounter % 250}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A request through the gateway from its own client address unless one is given. */
export function gateway(path: string, init: RequestInit & { ip?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", init.ip ?? freshIp());
  return exports.default.fetch(`http://localhost:8787${path}`, { ...init, headers });
}

/** Signs an access token with the key the stub users service publishes, claims overridable. */
export async function signToken(
  claims: JWTPayload & { role?: string } = {},
  options: { kid?: string; expiresIn?: string | number; jwk?: string } = {},
): Promise<string> {
  const jwk = JSON.parse(options.jwk ?? env.TEST_SIGNING_KEY) as JsonWebKey & { kid: string };
  const key = await importJWK(jwk, "EdDSA");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    role: "user",
    iss: env.JWT_ISSUER,
    aud: env.JWT_AUDIENCE,
    sub: "user-1",
    iat: now,
    ...claims,
  })
    .setProtectedHeader({ alg: "EdDSA", kid: options.kid ?? jwk.kid })
    .setExpirationTime(options.expiresIn ?? "15m")
    .sign(key);
}

export interface Echo {
  service: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string | null;
}

/** The public half of a private Ed25519 JWK, as users publishes it. */
export function publicHalf(privateJwk: string): JsonWebKey {
  const { kty, crv, x, kid } = JSON.parse(privateJwk) as JsonWebKey & { kid: string };
  return { kty, crv, x, kid } as JsonWebKey;
}

/** A new private Ed25519 JWK with the given kid. */
export async function newSigningKey(kid: string): Promise<string> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  return JSON.stringify({ ...(await crypto.subtle.exportKey("jwk", pair.privateKey)), kid });
}
