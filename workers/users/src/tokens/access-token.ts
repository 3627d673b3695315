import type { Role } from "@edge-shop/contracts";
import { SignJWT } from "jose";
import { signingKeys } from "./signing-keys";

const DEFAULT_TTL_SECONDS = 900;

/** The access token lifetime from ACCESS_TOKEN_TTL_SECONDS (15 minutes when unset or invalid). */
export function accessTokenTtl(env: Pick<Env, "ACCESS_TOKEN_TTL_SECONDS">): number {
  const ttl = Number(env.ACCESS_TOKEN_TTL_SECONDS);
  return Number.isInteger(ttl) && ttl > 0 ? ttl : DEFAULT_TTL_SECONDS;
}

/** Signs a short-lived access JWT (EdDSA, `kid`; `iss`, `aud`, `sub`, `role`, `iat`, `exp`) as the gateway verifies it. */
export async function signAccessToken(env: Env, subject: { userId: string; role: Role }): Promise<string> {
  const { current } = await signingKeys(env.JWT_PRIVATE_KEYS);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: subject.role })
    .setProtectedHeader({ alg: "EdDSA", kid: current.kid, typ: "JWT" })
    .setIssuer(env.JWT_ISSUER)
    .setAudience(env.JWT_AUDIENCE)
    .setSubject(subject.userId)
    .setIssuedAt(now)
    .setExpirationTime(now + accessTokenTtl(env))
    .sign(current.key);
}
