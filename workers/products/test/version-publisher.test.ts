import { env } from "cloudflare:workers";
import type { Product } from "@edge-shop/contracts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { publishCatalogVersion } from "../src/cache/catalog-cache";
import { publishProductVersions } from "../src/cache/item-cache";
import { KV_WRITE_INTERVAL_MS } from "../src/cache/version-publisher";
import { database } from "../src/db/client";
import { bumpCatalogVersion, readListVersion } from "../src/db/queries/catalog-version";
import { call, insertProducts, send, uniqueWord } from "./helpers";

const VERSION_KEY = "catalog:list-version";

// A version D1 has really committed (versions only grow; the publisher never puts a lower one than it has put).
async function nextVersion(): Promise<number> {
  const [row] = await database(env.DB).batch([bumpCatalogVersion(database(env.DB))]);
  const version = row[0]?.listVersion;
  if (version === undefined) throw new Error("no catalog version row");
  return version;
}

/** An ExecutionContext that keeps what it is handed, so a test can count and await the trailing puts. */
function recordingCtx() {
  const kept: Promise<unknown>[] = [];
  return { ctx: { waitUntil: (work: Promise<unknown>) => void kept.push(work) }, kept };
}

// The versions put into KV's version key, in order (other keys, cache entries, are left out).
function versionPuts(spy: { mock: { calls: unknown[][] } }): number[] {
  return spy.mock.calls.filter((args) => args[0] === VERSION_KEY).map((args) => Number(args[1]));
}

const mirrored = async () => Number(await env.CACHE.get(VERSION_KEY));

// The publisher remembers when it last put (module state shared by this file's tests): each test starts on a
// fake clock well past the previous test's, so its first publish is a second's first.
let clock = Date.now() + 60_000;

/** Each test of the describe on its own fake clock, a minute past the previous test's. */
function fakeClock(toFake: ("Date" | "setTimeout")[]): void {
  beforeEach(() => {
    clock += 60_000;
    vi.useFakeTimers({ now: clock, toFake });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
}

describe("publishing the catalog version to KV: at most one put a second per isolate", () => {
  fakeClock(["Date", "setTimeout"]);

  it("puts the first version of a second at once and the highest later one by one trailing put", async () => {
    const puts = vi.spyOn(env.CACHE, "put");
    const { ctx, kept } = recordingCtx();
    const first = await nextVersion();
    await publishCatalogVersion(env, ctx, first);
    expect(versionPuts(puts)).toEqual([first]);
    expect(kept).toHaveLength(0);
    expect(await mirrored()).toBe(first);

    const second = await nextVersion();
    const third = await nextVersion();
    vi.advanceTimersByTime(100);
    // Concurrent writes may publish out of order: the highest waiting is what gets put.
    await publishCatalogVersion(env, ctx, third);
    vi.advanceTimersByTime(100);
    await publishCatalogVersion(env, ctx, second);
    expect(versionPuts(puts)).toEqual([first]);
    expect(kept).toHaveLength(1);
    expect(await mirrored()).toBe(first);

    await vi.advanceTimersByTimeAsync(KV_WRITE_INTERVAL_MS);
    await Promise.all(kept);
    expect(versionPuts(puts)).toEqual([first, third]);
    expect(await mirrored()).toBe(third);
  });

  it("includes in the trailing put a version published while it waits, and puts at once a second later", async () => {
    const puts = vi.spyOn(env.CACHE, "put");
    const { ctx, kept } = recordingCtx();
    const first = await nextVersion();
    await publishCatalogVersion(env, ctx, first);
    vi.advanceTimersByTime(300);
    await publishCatalogVersion(env, ctx, await nextVersion());
    await vi.advanceTimersByTimeAsync(500);
    const late = await nextVersion();
    await publishCatalogVersion(env, ctx, late);
    expect(kept).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(KV_WRITE_INTERVAL_MS);
    await Promise.all(kept);
    expect(versionPuts(puts)).toEqual([first, late]);

    // The trailing put was this isolate's latest: a publish within a second of it waits again…
    const again = await nextVersion();
    await publishCatalogVersion(env, ctx, again);
    expect(kept).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(KV_WRITE_INTERVAL_MS);
    await Promise.all(kept);
    expect(versionPuts(puts)).toEqual([first, late, again]);
    // …and one a full second after the last put goes to KV at once, awaited, with nothing left behind.
    await vi.advanceTimersByTimeAsync(KV_WRITE_INTERVAL_MS);
    const alone = await nextVersion();
    await publishCatalogVersion(env, ctx, alone);
    expect(versionPuts(puts)).toEqual([first, late, again, alone]);
    expect(kept).toHaveLength(2);
    expect(await mirrored()).toBe(alone);
  });

  it("never fails the write when a put fails, immediate or trailing, and puts the next version", async () => {
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const puts = vi.spyOn(env.CACHE, "put");
    const { ctx, kept } = recordingCtx();
    puts.mockRejectedValueOnce(new Error("KV PUT failed: 429 Too Many Requests"));
    await expect(publishCatalogVersion(env, ctx, await nextVersion())).resolves.toBeUndefined();
    puts.mockRejectedValueOnce(new Error("KV PUT failed: 429 Too Many Requests"));
    await publishCatalogVersion(env, ctx, await nextVersion());
    await vi.advanceTimersByTimeAsync(KV_WRITE_INTERVAL_MS);
    await expect(Promise.all(kept)).resolves.toEqual([undefined]);
    expect(warnings.mock.calls.map(([line]) => JSON.parse(String(line)).msg)).toEqual([
      "cache version publish failed",
      "cache version publish failed",
    ]);
    await vi.advanceTimersByTimeAsync(KV_WRITE_INTERVAL_MS);
    const next = await nextVersion();
    await publishCatalogVersion(env, ctx, next);
    expect(await mirrored()).toBe(next);
  });
});

describe("publishing product versions to KV: at most one put a second per product and isolate", () => {
  fakeClock(["Date", "setTimeout"]);

  const itemKey = (id: string) => `item-version:${id}`;
  const putsOf = (spy: { mock: { calls: unknown[][] } }, key: string) =>
    spy.mock.calls.filter((args) => args[0] === key).map((args) => Number(args[1]));

  it("puts a product's first version of a second at once and its highest later one by one trailing put", async () => {
    const puts = vi.spyOn(env.CACHE, "put");
    const { ctx, kept } = recordingCtx();
    const id = crypto.randomUUID();
    await publishProductVersions(env, ctx, [{ id, version: 10 }]);
    expect(putsOf(puts, itemKey(id))).toEqual([10]);
    vi.advanceTimersByTime(100);
    // Out of order, as concurrent writes may publish: the highest waiting is what gets put.
    await publishProductVersions(env, ctx, [{ id, version: 12 }]);
    await publishProductVersions(env, ctx, [{ id, version: 11 }]);
    expect(putsOf(puts, itemKey(id))).toEqual([10]);
    expect(kept).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(KV_WRITE_INTERVAL_MS);
    await Promise.all(kept);
    expect(putsOf(puts, itemKey(id))).toEqual([10, 12]);
    expect(await env.CACHE.get(itemKey(id))).toBe("12");
  });

  it("never holds one product's put back for another's", async () => {
    const puts = vi.spyOn(env.CACHE, "put");
    const { ctx, kept } = recordingCtx();
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await publishProductVersions(env, ctx, [{ id: a, version: 3 }]);
    await publishProductVersions(env, ctx, [
      { id: a, version: 4 },
      { id: b, version: 4 },
    ]);
    expect([putsOf(puts, itemKey(a)), putsOf(puts, itemKey(b))]).toEqual([[3], [4]]);
    expect(kept).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(KV_WRITE_INTERVAL_MS);
    await Promise.all(kept);
    expect([putsOf(puts, itemKey(a)), putsOf(puts, itemKey(b))]).toEqual([[3, 4], [4]]);
  });

  it("never fails when a product's put fails, and puts its next version", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const puts = vi.spyOn(env.CACHE, "put");
    const { ctx } = recordingCtx();
    const id = crypto.randomUUID();
    puts.mockRejectedValueOnce(new Error("KV PUT failed: 429 Too Many Requests"));
    await expect(publishProductVersions(env, ctx, [{ id, version: 7 }])).resolves.toBeUndefined();
    expect(await env.CACHE.get(itemKey(id))).toBeNull();
    await vi.advanceTimersByTimeAsync(KV_WRITE_INTERVAL_MS);
    await publishProductVersions(env, ctx, [{ id, version: 8 }]);
    expect(await env.CACHE.get(itemKey(id))).toBe("8");
  });
});

describe("writes through the routes while their KV put waits for the second", () => {
  // Only Date is faked here: the trailing put's timer is set inside the worker's request, and a fake timer would
  // fire it from the test's context, which workerd refuses (I/O of another request). It runs for real.
  fakeClock(["Date"]);

  async function item(path: string) {
    const response = await call(path);
    const { product } = (await response.json()) as { product: Product };
    return { cache: response.headers.get("x-cache"), price: product.price };
  }

  async function listed(path: string) {
    const response = await call(path);
    const { products } = (await response.json()) as { products: Product[] };
    return { cache: response.headers.get("x-cache"), prices: products.map((p) => p.price) };
  }

  it("reads its own writes at once and after its memory of the version ages; KV gets the newest later", async () => {
    const category = uniqueWord("cat");
    const [made] = await insertProducts([{ price: 100, category }]);
    const path = `/api/products/${made?.id}`;
    const list = `/api/products?category=${category}`;
    const puts = vi.spyOn(env.CACHE, "put");
    expect((await send("PATCH", path, { price: 200 })).status).toBe(200);
    expect(await item(path)).toEqual({ cache: "MISS", price: 200 });
    expect(await listed(list)).toEqual({ cache: "MISS", prices: [200] });
    expect(await listed(list)).toEqual({ cache: "HIT", prices: [200] });
    vi.advanceTimersByTime(100);
    expect((await send("PATCH", path, { price: 300 })).status).toBe(200);
    const newest = await readListVersion(database(env.DB));
    expect(versionPuts(puts)).toEqual([newest - 1]);
    // This isolate sees the second write at once, from its memory…
    expect(await item(path)).toEqual({ cache: "MISS", price: 300 });
    // …and still when that memory is older than a second and KV holds the first write's version, under which the
    // list was cached: the version waiting for its put counts.
    vi.setSystemTime(Date.now() + 1500);
    expect(await mirrored()).toBe(newest - 1);
    expect(await listed(list)).toEqual({ cache: "MISS", prices: [300] });
    // The trailing put, kept alive by the request's waitUntil, brings KV up to date for the other isolates.
    await vi.waitFor(async () => expect(await mirrored()).toBe(newest), { timeout: 5000, interval: 50 });
    expect(versionPuts(puts)).toEqual([newest - 1, newest]);
  });
});
