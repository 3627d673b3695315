import { quietly, warnFailed } from "./quietly";

// Cache entries in KV, each stored as `<version>\n<JSON text>` (see catalog-cache.ts): JSON.stringify never
// writes a raw newline, so the first one ends the tag.

// KV refuses an expirationTtl below 60 seconds.
const MIN_TTL_SECONDS = 60;

export type CacheStatus = "HIT" | "MISS";

/**
 * A JSON body, served as is (never parsed again), and where it came from: a hit is the stored bytes after the
 * version tag, never decoded to a string and encoded back; a miss is the text just serialised.
 */
export interface CachedBody {
  body: string | Uint8Array<ArrayBuffer>;
  status: CacheStatus;
  /** The version the body was built at, when it is one product's (its ETag). */
  version?: number;
}

function entryTtl(env: Env): number {
  const configured = Number(env.CACHE_TTL_SECONDS);
  return Number.isFinite(configured) ? Math.max(MIN_TTL_SECONDS, Math.floor(configured)) : 300;
}

/** A version mirrored in KV as text, or undefined when it is missing or not a version (at least `least`). */
export function parseVersion(mirrored: string | null, least: number): number | undefined {
  if (mirrored === null) return undefined;
  const version = Number(mirrored);
  return Number.isSafeInteger(version) && version >= least ? version : undefined;
}

/** A version mirror and a stored entry, read concurrently (one round trip); nulls when KV fails. */
export async function readMirrorAndEntry(
  env: Env,
  mirrorKey: string,
  key: string,
): Promise<[string | null, ArrayBuffer | null]> {
  try {
    return await Promise.all([env.CACHE.get(mirrorKey, "text"), env.CACHE.get(key, "arrayBuffer")]);
  } catch (error) {
    warnFailed("get", error);
    return [null, null];
  }
}

/** A stored entry; null when it is missing or KV fails. */
export async function readEntry(env: Env, key: string): Promise<ArrayBuffer | null> {
  try {
    return await env.CACHE.get(key, "arrayBuffer");
  } catch (error) {
    warnFailed("get", error);
    return null;
  }
}

const NEWLINE = 0x0a;

/** The body of an entry tagged exactly `version`; undefined for a missing entry or another tag. */
export function bodyIfCurrent(
  entry: ArrayBuffer | null,
  version: number,
): Uint8Array<ArrayBuffer> | undefined {
  if (entry === null) return undefined;
  const bytes = new Uint8Array(entry);
  // The tag is the version's ASCII digits: compared byte by byte, so the body is never decoded.
  const tag = String(version);
  if (bytes.length <= tag.length || bytes[tag.length] !== NEWLINE) return undefined;
  for (let i = 0; i < tag.length; i++) if (bytes[i] !== tag.charCodeAt(i)) return undefined;
  return bytes.subarray(tag.length + 1);
}

/** Stores `text` under `key` tagged with `version`, for the configured TTL; a failure is only logged. */
export async function storeEntry(env: Env, key: string, version: number, text: string): Promise<void> {
  await quietly("put", env.CACHE.put(key, `${version}\n${text}`, { expirationTtl: entryTtl(env) }));
}
