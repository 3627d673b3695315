import type { RequestSessions, WaitUntil } from "@edge-shop/worker-kit";
import { type Db, database } from "../db/client";
import { type CatalogChange, readListVersion } from "../db/queries/catalog-version";
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

// Versioned entries: each is served only while its tag is the current version of what it shows, so a write
// retires entries by bumping versions in D1, never by deleting keys. See docs/architecture.md, "Catalog cache".

export type { CachedBody, CacheStatus } from "./entries";

// This isolate's copy of the list version (one key): the tag of lists, searches and categories.
const memo = new VersionMemo(1);

/**
 * Hands a list version that D1 has just committed to this isolate's memo at once and to the KV mirror at
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

/** Publishes everything a committed write changed: the list version (if it moved) and its products' versions. */
export async function publishChange(env: Env, ctx: WaitUntil, change: CatalogChange): Promise<void> {
  await Promise.all([
    publishCatalogVersion(env, ctx, change.listVersion),
    publishProductVersions(env, ctx, change.products),
  ]);
}

async function currentVersion(
  env: Env,
  ctx: WaitUntil,
  sessions: RequestSessions,
  mirrored: string | null,
): Promise<number> {
  const version = parseVersion(mirrored, 1);
  if (version !== undefined) {
    // A version this isolate published may not be in KV yet (its put waits for the second to be up).
    const newest = Math.max(version, unsettledVersion(VERSION_KEY));
    memo.remember(VERSION_KEY, newest);
    return newest;
  }
  // Read at the primary: a replica's older version, published, would make old entries current again.
  const fresh = await readListVersion(database(sessions.primary()));
  await publishCatalogVersion(env, ctx, fresh);
  return fresh;
}

/** What a fill read, and the list version its session had when it read it (in the same batch, one snapshot). */
export interface ListLoad<T> {
  body: T;
  listVersion: number;
}

/**
 * The cached JSON text under `key` if it was stored for the current list version, else `load(db)`'s body,
 * serialised once, stored with the version and the TTL. D1 is touched only by a fill or when the version mirror is
 * gone. For lists, searches and categories; a product page is cached by `cachedItem` under its product's version.
 */
export async function cached<T>(
  env: Env,
  ctx: WaitUntil,
  sessions: RequestSessions,
  key: string,
  load: (db: Db) => Promise<ListLoad<T>>,
): Promise<CachedBody> {
  const remembered = memo.recall(VERSION_KEY);
  let version: number;
  let entry: ArrayBuffer | null;
  if (remembered === undefined) {
    const [mirrored, stored] = await readMirrorAndEntry(env, VERSION_KEY, key);
    version = await currentVersion(env, ctx, sessions, mirrored);
    entry = stored;
  } else {
    version = remembered;
    entry = await readEntry(env, key);
  }
  const hit = bodyIfCurrent(entry, version);
  if (hit !== undefined) return { body: hit, status: "HIT" };
  return fillOnce(`${version}\n${key}`, async () => {
    const { body } = await loadCurrent(sessions, version, load);
    const text = JSON.stringify(body);
    await storeEntry(env, key, version, text);
    return text;
  });
}

/**
 * `load` in the request's session (a replica), or again at the primary when the list version that session had is
 * older than `tag`: the entry stored under `tag` never holds data older than it.
 */
async function loadCurrent<T>(
  sessions: RequestSessions,
  tag: number,
  load: (db: Db) => Promise<ListLoad<T>>,
): Promise<ListLoad<T>> {
  const loaded = await load(database(sessions.reads()));
  return loaded.listVersion < tag ? load(database(sessions.primary())) : loaded;
}

// The fills in flight in this isolate, by version and key: when a version moves (a product sold out during a
// sale), every reader of a page misses at once; one of them reads D1 and fills the entry, the others wait for it.
const filling = new Map<string, Promise<string>>();

/**
 * Runs `fill` once for readers that miss the same entry together: the first answers MISS (it read D1), those that
 * joined answer what it stored as a HIT (they read nothing). A fill that fails fails only its first reader; those
 * that joined it run their own.
 */
async function fillOnce(flight: string, fill: () => Promise<string>): Promise<CachedBody> {
  const running = filling.get(flight);
  if (running) {
    const shared = await running.catch(() => null);
    if (shared !== null) return { body: shared, status: "HIT" };
  }
  const mine = fill();
  if (!running) {
    filling.set(flight, mine);
    mine.then(
      () => filling.delete(flight),
      () => filling.delete(flight),
    );
  }
  return { body: await mine, status: "MISS" };
}
