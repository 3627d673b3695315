import { errorFields, log } from "@edge-shop/worker-kit";
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";

/** Keys younger than this are used as they are. */
const FRESH_MS = 5 * 60_000;
/** Past freshness, keys whose refetch fails are still used this long (stale-if-error), then the gateway gives up. */
const STALE_IF_ERROR_MS = 24 * 3600_000;
/** An isolate asks users for the keys at most once per this (an unknown `kid`, a refresh, a retry after a failure). */
const MIN_FETCH_INTERVAL_MS = 5_000;
/** A fetch that takes longer than this has failed. */
const FETCH_TIMEOUT_MS = 3_000;

interface Cached {
  keys: JWTVerifyGetKey;
  kids: Set<string>;
  fetchedAt: number;
}

let cached: Cached | undefined;
let inflight: Promise<Cached> | undefined;
let lastAttemptAt = Number.NEGATIVE_INFINITY;
const listeners: (() => void)[] = [];

/** The keys cannot be had: none cached (or all too old) and users does not answer. */
export class KeysUnavailableError extends Error {}

/** Calls `forget` whenever the key set is replaced or cleared (e.g. to drop what was verified with old keys). */
export function onKeysChanged(forget: () => void): void {
  listeners.push(forget);
}

function keysChanged(): void {
  for (const forget of listeners) forget();
}

async function load(users: Fetcher): Promise<Cached> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("JWKS fetch timed out")), FETCH_TIMEOUT_MS);
  });
  try {
    const response = await Promise.race([
      users.fetch("https://users.internal/.well-known/jwks.json"),
      timeout,
    ]);
    if (!response.ok) throw new Error(`JWKS fetch failed with ${response.status}`);
    const jwks = (await response.json()) as JSONWebKeySet;
    return {
      keys: createLocalJWKSet(jwks),
      kids: new Set(jwks.keys.map((k) => k.kid).filter((kid): kid is string => typeof kid === "string")),
      fetchedAt: Date.now(),
    };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function refresh(users: Fetcher): Promise<Cached> {
  lastAttemptAt = Date.now();
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

/** The cached keys while they may still serve after a failed refetch, else the refetch's error. */
function staleOr(error: unknown, current: Cached | undefined, now: number): JWTVerifyGetKey {
  if (current && now - current.fetchedAt <= STALE_IF_ERROR_MS) return current.keys;
  throw new KeysUnavailableError("the token keys cannot be fetched", { cause: error });
}

/**
 * The users service's public keys, cached per isolate. Fresh keys are used as they are; an unknown `kid` or
 * keys past freshness are fetched again, at most once per MIN_FETCH_INTERVAL_MS (concurrent callers share one
 * fetch). When users cannot answer, the last keys fetched keep verifying for up to STALE_IF_ERROR_MS
 * (stale-if-error); a token signed with a key they do not hold then fails as any unknown key does.
 */
export async function publicKeys(users: Fetcher, kid: string | undefined): Promise<JWTVerifyGetKey> {
  const now = Date.now();
  const current = cached;
  if (inflight) {
    try {
      return (await inflight).keys;
    } catch (error) {
      return staleOr(error, current, now);
    }
  }
  const stale = !current || now - current.fetchedAt > FRESH_MS;
  const unknownKid = kid !== undefined && current !== undefined && !current.kids.has(kid);
  if (!stale && !unknownKid) return current.keys;
  if (now - lastAttemptAt < MIN_FETCH_INTERVAL_MS) return staleOr(undefined, current, now);
  try {
    return (await refresh(users)).keys;
  } catch (error) {
    log("warn", "token keys not refreshed; using the last ones fetched", {
      ageSeconds: current ? Math.round((now - current.fetchedAt) / 1000) : null,
      ...errorFields(error),
    });
    return staleOr(error, current, now);
  }
}

/** Forgets the cached keys and when they were last asked for (tests change users' keys between cases). */
export function clearKeyCache(): void {
  cached = undefined;
  inflight = undefined;
  lastAttemptAt = Number.NEGATIVE_INFINITY;
  keysChanged();
}
