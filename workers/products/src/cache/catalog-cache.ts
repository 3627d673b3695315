import { log } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { readCatalogVersion } from "../db/queries/catalog-version";
import type { Bindings } from "../env";

// Versioned cache keys: every catalog write bumps one number (in D1, in the same batch as the write) and
// every cached response lives under `v<version>:…`, so one write retires every list and item key at once
// without listing or deleting keys. Old keys simply expire with their TTL.
//
// Reading the version from D1 on every request would cost a D1 round trip, as much as the point read of an
// item it is meant to save. So the version is mirrored into KV under VERSION_KEY: a hit costs two KV reads
// (both served from this location's KV cache) and no D1 query. The mirror expires after VERSION_TTL_SECONDS,
// after which a reader refreshes it from D1, the source of truth.
//
// Consistency bound: a write publishes the new version to KV before it answers, and KV shows a write at once
// in the location that made it, so the next read here sees the change. Other locations may keep reading the
// old version for up to ~60 s (KV propagation and its 60 s read cache). If publishing fails, or a reader
// races a writer and re-publishes the version it read just before the write, the old version lives at most
// VERSION_TTL_SECONDS more. Checkout never reads this cache: the RPC entrypoint reads D1 only.

const VERSION_KEY = "catalog:version";
const VERSION_TTL_SECONDS = 60;
// KV refuses an expirationTtl below 60 seconds.
const MIN_TTL_SECONDS = 60;

export type CacheStatus = "HIT" | "MISS";

function entryTtl(env: Bindings): number {
  const configured = Number(env.CACHE_TTL_SECONDS);
  return Number.isFinite(configured) ? Math.max(MIN_TTL_SECONDS, Math.floor(configured)) : 300;
}

async function quietly(what: string, work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    // The cache is an optimisation: a KV failure must never fail the request or the write.
    log("warn", `cache ${what} failed`, { error: error instanceof Error ? error.message : String(error) });
  }
}

/** Mirrors a catalog version that D1 has just committed into KV, so the next read in this location uses it. */
export async function publishCatalogVersion(env: Bindings, version: number | undefined): Promise<void> {
  if (version === undefined) return;
  await quietly(
    "version publish",
    env.CACHE.put(VERSION_KEY, String(version), { expirationTtl: VERSION_TTL_SECONDS }),
  );
}

async function kvRead<T>(read: () => Promise<T | null>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    log("warn", "cache get failed", { error: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

async function catalogVersion(env: Bindings, db: Db): Promise<number> {
  const mirrored = Number(await kvRead(() => env.CACHE.get(VERSION_KEY)));
  if (Number.isSafeInteger(mirrored) && mirrored > 0) return mirrored;
  const version = await readCatalogVersion(db);
  await publishCatalogVersion(env, version);
  return version;
}

/** SHA-256 hex of a string: list keys hash their query so any search text fits KV's 512-byte key limit. */
export async function digest(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The cached JSON body under `v<catalogVersion>:<key>`, or `load()`'s result stored there with the TTL.
 * `load` may answer undefined (e.g. not found): that is returned and not cached.
 */
export async function cached<T>(
  env: Bindings,
  db: Db,
  key: string,
  load: () => Promise<T | undefined>,
): Promise<{ body: T | undefined; status: CacheStatus }> {
  const versioned = `v${await catalogVersion(env, db)}:${key}`;
  const hit = await kvRead(() => env.CACHE.get<T>(versioned, "json"));
  if (hit !== null) return { body: hit, status: "HIT" };
  const body = await load();
  if (body !== undefined) {
    await quietly("put", env.CACHE.put(versioned, JSON.stringify(body), { expirationTtl: entryTtl(env) }));
  }
  return { body, status: "MISS" };
}
