import { type Identity, Roles } from "@edge-shop/contracts";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { onKeysChanged, publicKeys } from "./jwks-cache";

/** A token that cannot be one of ours: undecodable, or without a subject or a known role. */
export class InvalidTokenError extends Error {}

export interface VerifyOptions {
  users: Fetcher;
  issuer: string;
  audience: string;
}

// Tokens this isolate has verified, until they expire: a signed-in client sends the same token with every
// request for its lifetime, and the signature check is the costliest step of the gateway's own work. Only a
// token verified against the current key set is remembered (the memo is dropped when the keys change), and
// an entry is used only before the token's `exp`. Bounded: a full memo starts over.
const MAX_REMEMBERED_TOKENS = 10_000;
const verified = new Map<string, { identity: Identity; expiresAtMs: number; checkedFor: string }>();
onKeysChanged(() => verified.clear());

// What a token was checked against besides the keys: a remembered verdict holds for these only.
const checkedFor = (options: VerifyOptions) => `${options.issuer}\n${options.audience}`;

function rememberedIdentity(token: string, options: VerifyOptions): Identity | undefined {
  const entry = verified.get(token);
  if (!entry || entry.checkedFor !== checkedFor(options)) return undefined;
  if (Date.now() < entry.expiresAtMs) return entry.identity;
  verified.delete(token);
  return undefined;
}

/** Verifies an access token (EdDSA, kid, iss, aud, exp, sub, role) and returns the identity, or throws. */
export async function verifyAccessToken(token: string, options: VerifyOptions): Promise<Identity> {
  const remembered = rememberedIdentity(token, options);
  if (remembered) return remembered;
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
  const identity = { userId: payload.sub, role };
  if (verified.size >= MAX_REMEMBERED_TOKENS) verified.clear();
  // requiredClaims makes exp present; jwtVerify has checked it is in the future.
  verified.set(token, { identity, expiresAtMs: (payload.exp ?? 0) * 1000, checkedFor: checkedFor(options) });
  return identity;
}
