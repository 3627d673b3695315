import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";

const FRESH_MS = 5 * 60_000;
const MIN_REFETCH_MS = 30_000;

interface Cached {
  keys: JWTVerifyGetKey;
  kids: Set<string>;
  fetchedAt: number;
}

let cached: Cached | undefined;
let inflight: Promise<Cached> | undefined;
const listeners: (() => void)[] = [];

/** Calls `forget` whenever the key set is replaced or cleared (e.g. to drop what was verified with old keys). */
export function onKeysChanged(forget: () => void): void {
  listeners.push(forget);
}

function keysChanged(): void {
  for (const forget of listeners) forget();
}

async function load(users: Fetcher): Promise<Cached> {
  const response = await users.fetch("https://users.internal/.well-known/jwks.json");
  if (!response.ok) throw new Error(`JWKS fetch failed with ${response.status}`);
  const jwks = (await response.json()) as JSONWebKeySet;
  return {
    keys: createLocalJWKSet(jwks),
    kids: new Set(jwks.keys.map((k) => k.kid).filter((kid): kid is string => typeof kid === "string")),
    fetchedAt: Date.now(),
  };
}

function refresh(users: Fetcher): Promise<Cached> {
  inflight ??= load(users).then(
    (fresh) => {
      cached = fresh;
      inflight = undefined;
      keysChanged();
      return fresh;
    },
    (error: unknown) => {
      inflight = undefined;
      throw error;
    },
  );
  return inflight;
}

/**
 * The users service's public keys, cached per isolate. An unknown `kid` triggers a refetch (at most every
 * 30 s), so a rotated key is picked up without waiting for the cache to expire.
 */
export async function publicKeys(users: Fetcher, kid: string | undefined): Promise<JWTVerifyGetKey> {
  const now = Date.now();
  const current = cached;
  if (!current || now - current.fetchedAt > FRESH_MS) return (await refresh(users)).keys;
  if (kid && !current.kids.has(kid) && now - current.fetchedAt > MIN_REFETCH_MS)
    return (await refresh(users)).keys;
  return current.keys;
}

/** Forgets the cached keys (tests rotate keys between cases). */
export function clearKeyCache(): void {
  cached = undefined;
  keysChanged();
}
