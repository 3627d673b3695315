// Pure module (no `cloudflare:` imports): the seed and scripts/create-admin.ts import it under Node.
import { argon2idAsync } from "@noble/hashes/argon2.js";

export interface Argon2Params {
  /** Memory in KiB. */
  m: number;
  /** Iterations. */
  t: number;
  /** Parallelism. */
  p: number;
}

/**
 * OWASP's argon2id configuration m=7 MiB, t=5, p=1: the cheapest in memory of its equivalent settings,
 * which matters in a 128 MB Worker isolate where the hash runs in pure JavaScript.
 */
export const ARGON2_PARAMS: Readonly<Argon2Params> = Object.freeze({ m: 7168, t: 5, p: 1 });

const VERSION = 19;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
// Bounds for parameters read back from storage, so a corrupted row cannot make one login burn a Worker.
const LIMITS = { m: 65_536, t: 10, p: 4 };

/**
 * The key derivation, behind an object so tests can count calls (`vi.spyOn(kdf, "argon2id")`) and prove
 * that an unknown email and a wrong password cost the same work.
 */
export const kdf = {
  argon2id(password: string, salt: Uint8Array, params: Argon2Params): Promise<Uint8Array> {
    return argon2idAsync(password, salt, { ...params, dkLen: HASH_BYTES, version: VERSION });
  },
};

// PHC strings use standard base64 without padding.
function toB64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, "");
}

function fromB64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/** Compares two byte strings in time that depends only on their lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** `$argon2id$v=19$m=7168,t=5,p=1$<salt>$<hash>` */
export function formatPhc(params: Argon2Params, salt: Uint8Array, hash: Uint8Array): string {
  return `$argon2id$v=${VERSION}$m=${params.m},t=${params.t},p=${params.p}$${toB64(salt)}$${toB64(hash)}`;
}

export interface ParsedPhc {
  params: Argon2Params;
  salt: Uint8Array;
  hash: Uint8Array;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Parses an argon2id PHC string, or returns undefined when it is not one we can verify. */
export function parsePhc(phc: string): ParsedPhc | undefined {
  const match = PHC.exec(phc);
  if (!match) return undefined;
  const [, m, t, p, salt, hash] = match;
  const params = { m: Number(m), t: Number(t), p: Number(p) };
  if (params.m < 8 * params.p || params.m > LIMITS.m || params.t < 1 || params.t > LIMITS.t) return undefined;
  if (params.p < 1 || params.p > LIMITS.p || !salt || !hash) return undefined;
  try {
    return { params, salt: fromB64(salt), hash: fromB64(hash) };
  } catch {
    return undefined;
  }
}

/** Hashes a password with a fresh random salt into a PHC string. */
export async function hashPassword(password: string, params: Argon2Params = ARGON2_PARAMS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  return formatPhc(params, salt, await kdf.argon2id(password, salt, params));
}

/** Checks a password against a PHC string in constant time. An unparsable string never matches. */
export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const parsed = parsePhc(phc);
  // Still do the work, so a broken row costs the same as a wrong password.
  const { params, salt, hash } = parsed ?? parsePhc(DUMMY_HASH) ?? unreachable();
  const candidate = await kdf.argon2id(password, salt, params);
  return constantTimeEqual(candidate, hash) && parsed !== undefined;
}

/** Whether a stored hash was made with other parameters than the current ones (then rehash on login). */
export function needsRehash(phc: string, params: Argon2Params = ARGON2_PARAMS): boolean {
  const parsed = parsePhc(phc);
  return (
    !parsed || parsed.params.m !== params.m || parsed.params.t !== params.t || parsed.params.p !== params.p
  );
}

/**
 * Verified against when the email is unknown, so that answer costs one argon2id run with the current
 * parameters, exactly like a wrong password. Its zero hash matches no password.
 */
export const DUMMY_HASH = formatPhc(ARGON2_PARAMS, new Uint8Array(SALT_BYTES), new Uint8Array(HASH_BYTES));

function unreachable(): never {
  throw new Error("the dummy hash does not parse");
}
