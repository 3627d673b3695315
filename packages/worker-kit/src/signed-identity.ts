import { type Identity, Roles } from "@edge-shop/contracts";

/**
 * How long a signed identity is accepted after the gateway signed it: one forwarded request (the gateway gives a
 * service 10 s) plus clock skew between isolates.
 */
export const SIGNED_IDENTITY_TTL_SECONDS = 60;

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

// One imported key per secret and isolate: importKey costs more than the HMAC itself.
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

interface SignedClaims {
  sub: string;
  role: Identity["role"];
  /** The request id of the one request this identity was signed for. */
  rid: string;
  /** Unix seconds. */
  exp: number;
}

/**
 * The gateway's signature of the identity it verified, for one request: `<claims>.<HMAC-SHA256>`, both base64url,
 * with the per-environment secret `IDENTITY_SECRET` that the gateway and every service share.
 */
export async function signIdentity(
  secret: string,
  identity: Identity,
  requestId: string,
  nowMs = Date.now(),
): Promise<string> {
  const claims: SignedClaims = {
    sub: identity.userId,
    role: identity.role,
    rid: requestId,
    exp: Math.floor(nowMs / 1000) + SIGNED_IDENTITY_TTL_SECONDS,
  };
  const payload = toBase64Url(encoder.encode(JSON.stringify(claims)));
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(payload));
  return `${payload}.${toBase64Url(new Uint8Array(mac))}`;
}

function claimsOf(payload: string): SignedClaims | null {
  const bytes = fromBase64Url(payload);
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof value !== "object" || value === null) return null;
    const { sub, role, rid, exp } = value as Record<string, unknown>;
    const known = Roles.find((r) => r === role);
    if (
      typeof sub !== "string" ||
      sub === "" ||
      !known ||
      typeof rid !== "string" ||
      typeof exp !== "number"
    ) {
      return null;
    }
    return { sub, role: known, rid, exp };
  } catch {
    return null;
  }
}

/**
 * The identity a signed value carries, or null when the signature is wrong (checked in constant time by
 * `crypto.subtle.verify`), the value is malformed or expired, or it was signed for another request.
 */
export async function verifyIdentity(
  secret: string,
  value: string,
  requestId: string,
  nowMs = Date.now(),
): Promise<Identity | null> {
  const [payload, mac, extra] = value.split(".");
  if (payload === undefined || mac === undefined || extra !== undefined) return null;
  const signature = fromBase64Url(mac);
  if (!signature) return null;
  if (!(await crypto.subtle.verify("HMAC", await hmacKey(secret), signature, encoder.encode(payload)))) {
    return null;
  }
  const claims = claimsOf(payload);
  if (!claims || claims.rid !== requestId || claims.exp < Math.floor(nowMs / 1000)) return null;
  return { userId: claims.sub, role: claims.role };
}
