import { type Identity, Roles } from "@edge-shop/contracts";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { publicKeys } from "./jwks-cache";

/** A token that cannot be one of ours: undecodable, or without a subject or a known role. */
export class InvalidTokenError extends Error {}

export interface VerifyOptions {
  users: Fetcher;
  issuer: string;
  audience: string;
}

/** Verifies an access token (EdDSA, kid, iss, aud, exp, sub, role) and returns the identity, or throws. */
export async function verifyAccessToken(token: string, options: VerifyOptions): Promise<Identity> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new InvalidTokenError("token header does not decode");
  }
  // Not caught: failing to load the keys is the gateway's problem (503), not the client's.
  const keys = await publicKeys(options.users, kid);
  const { payload } = await jwtVerify(token, keys, {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: ["EdDSA"],
    requiredClaims: ["exp", "sub", "iat"],
  });
  const role = Roles.find((r) => r === payload.role);
  if (!payload.sub || !role) throw new InvalidTokenError("token lacks sub or role");
  return { userId: payload.sub, role };
}
