import type { RequestSessions, WaitUntil } from "@edge-shop/worker-kit";
import { type Db, database } from "../db/client";
import type { ProductVersion } from "../db/queries/catalog-version";
import {
  bodyIfCurrent,
  type CachedBody,
  parseVersion,
  readEntry,
  readMirrorAndEntry,
  storeEntry,
} from "./entries";
import { VersionMemo } from "./version-memo";
import { itemVersionKey, publishVersion, unsettledVersion } from "./version-publisher";

// Product pages (`item:<id>`), each tagged with ITS product's version rather than the catalog's, so a write
// retires only the pages of the products it changed (the scheme and its bounds: catalog-cache.ts).

// This isolate's copies of product versions, a few thousand at most (the least recently learnt go first).
const memo = new VersionMemo(4096);

/** What a product page's load answers: the body and the version of the row it was built from. */
export interface VersionedLoad<T> {
  body: T;
  version: number;
}

/**
 * Hands product versions that D1 has just committed to this isolate's memo at once and to their KV mirrors at
 * most once a second each (later publishes within a product's second go by one trailing put, kept alive by `ctx`).
 */
export async function publishProductVersions(
  env: Env,
  ctx: WaitUntil,
  changed: ProductVersion[],
): Promise<void> {
  for (const { id, version } of changed) memo.remember(id, version);
  await Promise.all(changed.map(({ id, version }) => publishVersion(env, ctx, itemVersionKey(id), version)));
}

/**
 * Product `id`'s page: the entry under `item:<id>` if it is tagged with the product's current version, else
 * `load(db)`'s result (the row's data and version, read together), serialised once and stored tagged with THAT
 * version. `load` answers undefined for a missing or inactive product: then this does too and caches nothing.
 * The current version comes from this isolate's memo (a hit is one KV get), else from the KV mirror, fetched with
 * the entry; when the mirror is gone the page is loaded from D1 and the row's version published again.
 */
export async function cachedItem<T>(
  env: Env,
  ctx: WaitUntil,
  sessions: RequestSessions,
  id: string,
  load: (db: Db) => Promise<VersionedLoad<T> | undefined>,
): Promise<CachedBody | undefined> {
  const key = `item:${id}`;
  const mirrorKey = itemVersionKey(id);
  let version = memo.recall(id);
  let entry: ArrayBuffer | null;
  if (version === undefined) {
    const [mirrored, stored] = await readMirrorAndEntry(env, mirrorKey, key);
    const published = parseVersion(mirrored, 0);
    if (published !== undefined) {
      // A version this isolate published may not be in KV yet (its put waits for the second to be up).
      version = Math.max(published, unsettledVersion(mirrorKey));
      memo.remember(id, version);
    }
    entry = stored;
  } else {
    entry = await readEntry(env, key);
  }
  const hit = version === undefined ? undefined : bodyIfCurrent(entry, version);
  if (hit !== undefined) return { body: hit, status: "HIT", version };
  const loaded = await loadCurrent(sessions, version, load);
  if (loaded === undefined) return undefined;
  const text = JSON.stringify(loaded.body);
  // The row may be newer than what this isolate knew (another isolate wrote it): versions only grow.
  memo.remember(id, loaded.version);
  const stores: Promise<void>[] = [];
  // An entry already tagged with the row's version holds this very data (the mirror was gone): no put.
  if (bodyIfCurrent(entry, loaded.version) === undefined) {
    stores.push(storeEntry(env, key, loaded.version, text));
  }
  // The mirror was gone (expired, or KV failed): publish the row's version again.
  if (version === undefined) stores.push(publishVersion(env, ctx, mirrorKey, loaded.version));
  await Promise.all(stores);
  return { body: text, status: "MISS", version: loaded.version };
}

/**
 * The page as `load` reads it in the request's session (a replica), or again at the primary when that row is older
 * than the known version `tag` (missing when a tag exists counts as older), or when no tag is known and a row was
 * found: its version is then published, and a replica's older one would make an old entry current again.
 */
async function loadCurrent<T>(
  sessions: RequestSessions,
  tag: number | undefined,
  load: (db: Db) => Promise<VersionedLoad<T> | undefined>,
): Promise<VersionedLoad<T> | undefined> {
  const loaded = await load(database(sessions.reads()));
  const behind = tag === undefined ? loaded !== undefined : (loaded?.version ?? -1) < tag;
  return behind ? load(database(sessions.primary())) : loaded;
}
