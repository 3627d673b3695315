import type { WaitUntil } from "@edge-shop/worker-kit";
import { database } from "../db/client";
import { readCatalogVersion } from "../db/queries/catalog-version";
import type { Bindings } from "../env";
import { quietly, warnFailed } from "./quietly";
import { publishVersion, unsettledVersion, VERSION_KEY } from "./version-publisher";

// Versioned cache entries: every catalog write bumps one number (in D1, in the same batch as the write) and
// every cached response is stored with the version it was read under, so one write retires every list and
// item entry at once without listing or deleting keys. An entry is served only when its version is the
// current one; stale entries are overwritten by the next miss or expire with their TTL.
//
// Reading the version from D1 on every request would cost a D1 round trip, as much as the point read of an
// item it is meant to save. So the version is mirrored into KV under VERSION_KEY, and this isolate remembers
// it for VERSION_MEMO_MS: a hit then costs ONE KV get (the entry). When the memo is older than that, a read
// fetches the version and the entry together (two KV gets in flight at once, one round trip), with no D1
// query. Not one bulk get (`get([a, b])`): it works, but it answers the values inside a JSON document, so a
// 20-product page is escaped and parsed once more; measured locally, a cached list cost ~20 % more that way.
// The mirror expires after VERSION_TTL_SECONDS, after which a reader refreshes it from D1, the source of truth.
//
// Consistency bound: a write updates this isolate's memo before it answers, so the next read in this isolate
// sees the change. Its KV publish is coalesced (version-publisher.ts): production KV takes ONE write per second
// to the same key and refuses the rest, and the put is one of the largest costs of placing an order, so an
// isolate puts the version at most once per KV_WRITE_INTERVAL_MS. The first write of a second is put before it
// answers; later ones are put together by one trailing put when the second is up. KV shows a put at once in the
// location that made it, and other isolates there ask KV again once their memo is VERSION_MEMO_MS old: they see
// a lone write within ~1 s, and writes that come faster than one a second within ~2 s (1 s of coalescing + 1 s
// of memo). Other locations may keep reading the old version for up to ~60 s (KV propagation and its 60 s read
// cache). If publishing fails, or a reader in another isolate races a writer and re-publishes the version it
// read just before the write, the old version lives at most VERSION_TTL_SECONDS more. An entry is tagged with
// the version read BEFORE its data was loaded, so its data is never older than its tag. Checkout never reads
// this cache: the RPC entrypoint reads D1 only.

const VERSION_MEMO_MS = 1000;
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
}

function entryTtl(env: Bindings): number {
  const configured = Number(env.CACHE_TTL_SECONDS);
  return Number.isFinite(configured) ? Math.max(MIN_TTL_SECONDS, Math.floor(configured)) : 300;
}

// This isolate's copy of the version, and until when it may be used without asking KV again.
let memo: { version: number; until: number } | undefined;

function remember(version: number): void {
  const now = Date.now();
  // Versions only grow: a reader that fetched the mirror just before a write here must not undo the write.
  if (memo && memo.until > now && memo.version > version) return;
  memo = { version, until: now + VERSION_MEMO_MS };
}

function rememberedVersion(): number | undefined {
  return memo && memo.until > Date.now() ? memo.version : undefined;
}

/**
 * Hands a catalog version that D1 has just committed to this isolate's memo at once and to the KV mirror at
 * most once a second (a later publish within the second is put by a trailing put kept alive by `ctx`).
 */
export async function publishCatalogVersion(
  env: Bindings,
  ctx: WaitUntil,
  version: number | undefined,
): Promise<void> {
  if (version === undefined) return;
  remember(version);
  await publishVersion(env, ctx, version);
}

/** The mirrored version and the stored entry, read concurrently (one round trip); nulls when KV fails. */
async function readVersionAndEntry(env: Bindings, key: string): Promise<[string | null, ArrayBuffer | null]> {
  try {
    return await Promise.all([env.CACHE.get(VERSION_KEY, "text"), env.CACHE.get(key, "arrayBuffer")]);
  } catch (error) {
    warnFailed("get", error);
    return [null, null];
  }
}

async function readEntry(env: Bindings, key: string): Promise<ArrayBuffer | null> {
  try {
    return await env.CACHE.get(key, "arrayBuffer");
  } catch (error) {
    warnFailed("get", error);
    return null;
  }
}

async function currentVersion(env: Bindings, ctx: WaitUntil, mirrored: string | null): Promise<number> {
  const version = Number(mirrored);
  if (mirrored !== null && Number.isSafeInteger(version) && version > 0) {
    // A version this isolate published may not be in KV yet (its put waits for the second to be up).
    const newest = Math.max(version, unsettledVersion());
    remember(newest);
    return newest;
  }
  const fresh = await readCatalogVersion(database(env.DB));
  await publishCatalogVersion(env, ctx, fresh);
  return fresh;
}

// An entry is stored as `<version>\n<JSON text>`: JSON.stringify never writes a raw newline, so the first one
// ends the tag.
function tagged(version: number, text: string): string {
  return `${version}\n${text}`;
}

const NEWLINE = 0x0a;

function bodyIfCurrent(entry: ArrayBuffer | null, version: number): Uint8Array<ArrayBuffer> | undefined {
  if (entry === null) return undefined;
  const bytes = new Uint8Array(entry);
  // The tag is the version's ASCII digits: compared byte by byte, so the body is never decoded.
  const tag = String(version);
  if (bytes.length <= tag.length || bytes[tag.length] !== NEWLINE) return undefined;
  for (let i = 0; i < tag.length; i++) if (bytes[i] !== tag.charCodeAt(i)) return undefined;
  return bytes.subarray(tag.length + 1);
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
 */
export async function cached<T>(
  env: Bindings,
  ctx: WaitUntil,
  key: string,
  load: () => Promise<T | undefined>,
): Promise<CachedBody | undefined> {
  const remembered = rememberedVersion();
  let version: number;
  let entry: ArrayBuffer | null;
  if (remembered === undefined) {
    const [mirrored, stored] = await readVersionAndEntry(env, key);
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
  await quietly("put", env.CACHE.put(key, tagged(version, text), { expirationTtl: entryTtl(env) }));
  return { body: text, status: "MISS" };
}
