import type { WaitUntil } from "@edge-shop/worker-kit";
import { database } from "../db/client";
import { type CatalogChange, readCatalogVersion } from "../db/queries/catalog-version";
import {
  bodyIfCurrent,
  type CachedBody,
  parseVersion,
  readEntry,
  readMirrorAndEntry,
  storeEntry,
} from "./entries";
import { publishProductVersions } from "./item-cache";
import { VersionMemo } from "./version-memo";
import { publishVersion, unsettledVersion, VERSION_KEY } from "./version-publisher";

// Versioned cache entries: every cached response is stored with a version tag and served only while that tag is
// the current version of what it shows. A write retires entries by changing versions in D1, in the same batch as
// the write, without listing or deleting keys; stale entries are overwritten by the next miss or expire with their
// TTL. There are two kinds of version:
// - Lists, searches and categories (`cached`, below) show stock of any product, so they carry the ONE catalog
//   version, which every catalog write bumps, stock reservations and releases included.
// - A product page (`item:<id>`, item-cache.ts) carries ITS product's version, `products.version`: the catalog
//   version at which that row last changed, set by the same batch after the bump. An order thus retires every
//   list but only the pages of the products it reserved; every other product page keeps hitting.
//
// Reading a version from D1 on every request would cost a D1 round trip, as much as the point read of an item it
// is meant to save. So each version is mirrored into KV (VERSION_KEY; itemVersionKey(id) per product) and this
// isolate remembers it for a second (version-memo.ts): a hit then costs ONE KV get (the entry). When the memo is
// older than that, a read fetches the version and the entry together (two KV gets in flight at once, one round
// trip), with no D1 query. Not one bulk get (`get([a, b])`): it works, but it answers the values inside a JSON
// document, so a 20-product page is escaped and parsed once more; measured locally, a cached list cost ~20 % more
// that way. A mirror expires after VERSION_TTL_SECONDS; a reader that finds it gone asks D1, the source of truth,
// and publishes it again: the catalog version alone, or for a product page the row itself, which carries its
// version (so that read is served from D1, as a MISS, and fills the entry).
//
// An entry's data is never older than its tag: a list is tagged with the catalog version read BEFORE its data was
// loaded, a product page with the version read WITH its data, from the same row.
//
// Consistency bound: a write updates this isolate's memos (the catalog's and its products') before it answers, so
// the next read in this isolate sees the change. Its KV publishes are coalesced per key (version-publisher.ts):
// production KV takes ONE write per second to the same key and refuses the rest, and the puts are among the
// largest costs of placing an order, so an isolate puts each version at most once per KV_WRITE_INTERVAL_MS. The
// first write of a second is put before it answers; later ones are put together by one trailing put when the
// second is up. KV shows a put at once in the location that made it, and other isolates there ask KV again once
// their memo is a second old: they see a lone write within ~1 s, and writes that come faster than one a second
// within ~2 s (1 s of coalescing + 1 s of memo). Other locations may keep reading an old version for up to ~60 s
// (KV propagation and its 60 s read cache). If publishing fails, or a reader in another isolate races a writer and
// re-publishes the version it read just before the write, the old version lives at most VERSION_TTL_SECONDS more.
// Checkout never reads this cache: the RPC entrypoint reads D1 only.

export type { CachedBody, CacheStatus } from "./entries";

// This isolate's copy of the catalog version (one key).
const memo = new VersionMemo(1);

/**
 * Hands a catalog version that D1 has just committed to this isolate's memo at once and to the KV mirror at
 * most once a second (a later publish within the second is put by a trailing put kept alive by `ctx`).
 */
export async function publishCatalogVersion(
  env: Env,
  ctx: WaitUntil,
  version: number | undefined,
): Promise<void> {
  if (version === undefined) return;
  memo.remember(VERSION_KEY, version);
  await publishVersion(env, ctx, VERSION_KEY, version);
}

/** Publishes everything a committed write changed: the catalog version and its products' versions, together. */
export async function publishChange(env: Env, ctx: WaitUntil, change: CatalogChange): Promise<void> {
  await Promise.all([
    publishCatalogVersion(env, ctx, change.version),
    publishProductVersions(env, ctx, change.products),
  ]);
}

async function currentVersion(env: Env, ctx: WaitUntil, mirrored: string | null): Promise<number> {
  const version = parseVersion(mirrored, 1);
  if (version !== undefined) {
    // A version this isolate published may not be in KV yet (its put waits for the second to be up).
    const newest = Math.max(version, unsettledVersion(VERSION_KEY));
    memo.remember(VERSION_KEY, newest);
    return newest;
  }
  const fresh = await readCatalogVersion(database(env.DB));
  await publishCatalogVersion(env, ctx, fresh);
  return fresh;
}

/** SHA-256 hex of a string: list keys hash their query so any search text fits KV's 512-byte key limit. */
export async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * The cached JSON text under `key` if it was stored for the current catalog version, else `load()`'s result,
 * serialised once, stored with the version and the TTL. `load` may answer undefined (e.g. not found): then
 * this answers undefined and caches nothing. D1 is touched only by `load` or when the version mirror is gone.
 * For lists, searches and categories; a product page is cached by `cachedItem` under its product's version.
 */
export async function cached<T>(
  env: Env,
  ctx: WaitUntil,
  key: string,
  load: () => Promise<T | undefined>,
): Promise<CachedBody | undefined> {
  const remembered = memo.recall(VERSION_KEY);
  let version: number;
  let entry: ArrayBuffer | null;
  if (remembered === undefined) {
    const [mirrored, stored] = await readMirrorAndEntry(env, VERSION_KEY, key);
    version = await currentVersion(env, ctx, mirrored);
    entry = stored;
  } else {
    version = remembered;
    entry = await readEntry(env, key);
  }
  const hit = bodyIfCurrent(entry, version);
  if (hit !== undefined) return { body: hit, status: "HIT" };
  const body = await load();
  if (body === undefined) return undefined;
  const text = JSON.stringify(body);
  await storeEntry(env, key, version, text);
  return { body: text, status: "MISS" };
}
