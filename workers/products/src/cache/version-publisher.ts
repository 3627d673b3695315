import { sleep, type WaitUntil } from "@edge-shop/worker-kit";
import { quietly } from "./quietly";

// Publishes versions to their KV mirrors at most once per second per key and isolate (KV's limit), coalescing
// later ones into one trailing put. See docs/architecture.md, "Catalog cache".

/** The KV mirror of the list version (catalog_meta.list_version), the tag of cached lists, searches, categories. */
export const VERSION_KEY = "catalog:list-version";
export const VERSION_TTL_SECONDS = 60;
/** Production KV's limit: one write per second to the same key. */
export const KV_WRITE_INTERVAL_MS = 1000;
// A put or a trailing put this old will never finish (waitUntil ends 30 s after the response; a cancelled request
// never resumes): it is forgotten rather than left to stop publishing for good.
const LOST_AFTER_MS = 30_000;
// While a put is in flight past its second, the trailing put checks again this often.
const POLL_MS = 10;
// Keys whose state is kept; beyond it, the least recently published idle ones are forgotten (a forgotten key only
// loses its "never put lower" memory, which matters for a reader racing a writer within the same few ms).
const MAX_KEYS = 4096;

/** The KV key mirroring a product's version. */
export function itemVersionKey(id: string): string {
  return `item-version:${id}`;
}

interface KeyState {
  lastPutAt: number | undefined; // when this isolate last started a put of this key
  highestPut: number; // the highest version this isolate has put successfully (-1: none)
  putting: { since: number; version: number } | undefined; // the put in flight
  waiting: number | undefined; // the highest version not yet put, for the trailing put
  trailingSince: number | undefined; // when the trailing put was scheduled; undefined while none is
}

// In least recently published order (a key is moved to the end each time it is published).
const states = new Map<string, KeyState>();

// Whether something that started at `since` may still finish (a clock that jumped either way forgets it).
function alive(since: number | undefined, now: number): boolean {
  return since !== undefined && Math.abs(now - since) < LOST_AFTER_MS;
}

function idle(state: KeyState, now: number): boolean {
  return !alive(state.putting?.since, now) && !alive(state.trailingSince, now);
}

// The key's state, moved to the most recent end; forgets the oldest idle keys beyond MAX_KEYS.
function stateOf(key: string, now: number): KeyState {
  const known = states.get(key);
  states.delete(key);
  const state = known ?? {
    lastPutAt: undefined,
    highestPut: -1,
    putting: undefined,
    waiting: undefined,
    trailingSince: undefined,
  };
  states.set(key, state);
  if (states.size > MAX_KEYS) {
    for (const [oldKey, oldState] of states) {
      if (states.size <= MAX_KEYS) break;
      if (oldKey !== key && idle(oldState, now)) states.delete(oldKey);
    }
  }
  return state;
}

function mayPutAt(state: KeyState, now: number): boolean {
  if (alive(state.putting?.since, now)) return false;
  // A clock that went backwards (a test's fake clock) must not hold puts back.
  const last = state.lastPutAt;
  return last === undefined || now - last >= KV_WRITE_INTERVAL_MS || now < last;
}

async function put(env: Env, key: string, state: KeyState, now: number, version: number): Promise<void> {
  const current = { since: now, version };
  state.lastPutAt = now;
  state.putting = current;
  try {
    const stored = env.CACHE.put(key, String(version), { expirationTtl: VERSION_TTL_SECONDS });
    if (await quietly("version publish", stored)) state.highestPut = Math.max(state.highestPut, version);
  } finally {
    if (state.putting === current) state.putting = undefined;
  }
}

async function trailingPut(env: Env, key: string, state: KeyState): Promise<void> {
  let now = Date.now();
  while (!mayPutAt(state, now)) {
    const due = (state.lastPutAt ?? now) + KV_WRITE_INTERVAL_MS;
    await sleep(Math.min(KV_WRITE_INTERVAL_MS, Math.max(POLL_MS, due - now)));
    now = Date.now();
  }
  // The highest version waiting NOW: publishes that arrived while this slept are in it.
  const version = state.waiting;
  state.waiting = undefined;
  state.trailingSince = undefined;
  if (version !== undefined && version > state.highestPut) await put(env, key, state, now, version);
}

/**
 * Puts `version` under `key` now (awaited) if this isolate has not put that key within the last second; else
 * makes sure one trailing put (kept alive by `ctx.waitUntil`) writes the highest version waiting when it may.
 * Never throws: a failed put is logged.
 */
export async function publishVersion(env: Env, ctx: WaitUntil, key: string, version: number): Promise<void> {
  const now = Date.now();
  const state = stateOf(key, now);
  const scheduled = alive(state.trailingSince, now);
  if (!scheduled && mayPutAt(state, now)) {
    const highest = Math.max(version, state.waiting ?? -1, state.highestPut);
    state.waiting = undefined;
    await put(env, key, state, now, highest);
    return;
  }
  state.waiting = Math.max(state.waiting ?? -1, version);
  if (scheduled) return;
  state.trailingSince = now;
  ctx.waitUntil(trailingPut(env, key, state));
}

/** The highest version this isolate has published under `key` that KV may not show yet; -1 if none. */
export function unsettledVersion(key: string): number {
  const state = states.get(key);
  return Math.max(state?.waiting ?? -1, state?.putting?.version ?? -1);
}
