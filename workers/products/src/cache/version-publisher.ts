import type { WaitUntil } from "@edge-shop/worker-kit";
import type { Bindings } from "../env";
import { quietly } from "./quietly";

// Publishing the catalog version to its KV mirror (see catalog-cache.ts), at most once per second per isolate.
// Production KV accepts ONE write per second to the same key and refuses the rest, and a put is one of the
// largest costs of a write (~640 µs of the ~5 ms of placing an order, issue 8), while every stock reservation
// and release is a catalog write. So the first publish of a second is put at once and awaited (an admin's single
// change reaches the other isolates at once); a later one only raises the version waiting, and ONE trailing put,
// kept alive after the response with waitUntil, writes the highest version waiting when the second is up.
// This isolate's puts never overlap and never write a version lower than one it has put: versions only grow in
// D1, but concurrent writes may publish theirs out of order.

export const VERSION_KEY = "catalog:version";
export const VERSION_TTL_SECONDS = 60;
/** Production KV's limit: one write per second to the same key. */
export const KV_WRITE_INTERVAL_MS = 1000;
// A put or a trailing put this old will never finish (waitUntil ends 30 s after the response; a cancelled request
// never resumes): it is forgotten rather than left to stop publishing for good.
const LOST_AFTER_MS = 30_000;
// While a put is in flight past its second, the trailing put checks again this often.
const POLL_MS = 10;

let lastPutAt: number | undefined; // when this isolate last started a put
let highestPut = 0; // the highest version this isolate has put successfully
let putting: { since: number; version: number } | undefined; // the put in flight
let waiting: number | undefined; // the highest version not yet put, for the trailing put
let trailingSince: number | undefined; // when the trailing put was scheduled; undefined while none is

// Whether something that started at `since` may still finish (a clock that jumped either way forgets it).
function alive(since: number | undefined, now: number): boolean {
  return since !== undefined && Math.abs(now - since) < LOST_AFTER_MS;
}

function mayPutAt(now: number): boolean {
  if (alive(putting?.since, now)) return false;
  // A clock that went backwards (a test's fake clock) must not hold puts back.
  return lastPutAt === undefined || now - lastPutAt >= KV_WRITE_INTERVAL_MS || now < lastPutAt;
}

async function put(env: Bindings, now: number, version: number): Promise<void> {
  const current = { since: now, version };
  lastPutAt = now;
  putting = current;
  try {
    const stored = env.CACHE.put(VERSION_KEY, String(version), { expirationTtl: VERSION_TTL_SECONDS });
    if (await quietly("version publish", stored)) highestPut = Math.max(highestPut, version);
  } finally {
    if (putting === current) putting = undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function trailingPut(env: Bindings): Promise<void> {
  let now = Date.now();
  while (!mayPutAt(now)) {
    const due = (lastPutAt ?? now) + KV_WRITE_INTERVAL_MS;
    await sleep(Math.min(KV_WRITE_INTERVAL_MS, Math.max(POLL_MS, due - now)));
    now = Date.now();
  }
  // The highest version waiting NOW: publishes that arrived while this slept are in it.
  const version = waiting;
  waiting = undefined;
  trailingSince = undefined;
  if (version !== undefined && version > highestPut) await put(env, now, version);
}

/**
 * Puts `version` into the KV mirror now (awaited) if this isolate has not put it within the last second; else
 * makes sure one trailing put (kept alive by `ctx.waitUntil`) writes the highest version waiting when it may.
 * Never throws: a failed put is logged.
 */
export async function publishVersion(env: Bindings, ctx: WaitUntil, version: number): Promise<void> {
  const now = Date.now();
  const scheduled = alive(trailingSince, now);
  if (!scheduled && mayPutAt(now)) {
    const highest = Math.max(version, waiting ?? 0, highestPut);
    waiting = undefined;
    await put(env, now, highest);
    return;
  }
  waiting = Math.max(waiting ?? 0, version);
  if (scheduled) return;
  trailingSince = now;
  ctx.waitUntil(trailingPut(env));
}

/** The highest version this isolate has published that KV may not show yet (waiting, or being put). */
export function unsettledVersion(): number {
  return Math.max(waiting ?? 0, putting?.version ?? 0);
}
