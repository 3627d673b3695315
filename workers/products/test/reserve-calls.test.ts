import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { countingD1 } from "../../../packages/worker-kit/test/call-counters";
import { database } from "../src/db/client";
import { readCatalogVersion, readListVersion } from "../src/db/queries/catalog-version";
import { reserveStock } from "../src/stock/reserve";
import { insertProducts } from "./helpers";

const orderId = () => `order-${crypto.randomUUID()}`;

// Round trips to D1 per reserve (each ~0.65 ms of workerd's thread locally): the benchmark's order floor
// counts one batch for the reservation. A refusal or a repeat may cost one more (a read batch).
describe("reserveStock: D1 round trips", () => {
  const now = new Date();

  it("reserves in exactly one batch and no read, and answers from the batch's returned lines", async () => {
    const [a, b] = await insertProducts([
      { stock: 5, price: 100 },
      { stock: 5, price: 250 },
    ]);
    const counter = countingD1(env.DB);
    const items = [
      { productId: a?.id ?? "", quantity: 1 },
      { productId: b?.id ?? "", quantity: 2 },
    ];
    const change = await reserveStock(database(counter.d1), orderId(), items, now);
    expect(change.result).toMatchObject({ ok: true, total: 600, currency: "USD" });
    // Both products' versions come back from the same batch: the catalog version the reservation committed.
    const version = await readCatalogVersion(database(env.DB));
    expect(change.products).toEqual([
      { id: a?.id, version },
      { id: b?.id, version },
    ]);
    // Neither product sold out: the lists' version did not move.
    expect(change.listVersion).toBeUndefined();
    expect(counter.calls).toMatchObject({ reads: 0, writes: 0, batches: 1 });
  });

  it("answers a repeat and a refusal with one failed batch and one read batch", async () => {
    const [made] = await insertProducts([{ stock: 2 }]);
    const counter = countingD1(env.DB);
    const db = database(counter.d1);
    const order = orderId();
    const first = await reserveStock(db, order, [{ productId: made?.id ?? "", quantity: 2 }], now);
    counter.reset();
    const again = await reserveStock(db, order, [{ productId: made?.id ?? "", quantity: 2 }], now);
    expect(again).toEqual({ result: first.result, listVersion: undefined, products: [] });
    expect(counter.calls).toMatchObject({ reads: 0, writes: 0, batches: 2 });
    counter.reset();
    const short = await reserveStock(db, orderId(), [{ productId: made?.id ?? "", quantity: 1 }], now);
    expect(short.result).toMatchObject({ ok: false, reason: "insufficient_stock" });
    expect(counter.calls).toMatchObject({ reads: 0, writes: 0, batches: 2 });
  });
});

// KV puts per reserve: the list version key takes one write a second, so the reservation path puts it only when
// this isolate has not in the last second; the others' versions go to KV in one trailing put after the response.
// Only a reservation that sells a product out moves the list version (see stock-lists.test.ts).
describe("ProductsRpc.reserve: KV puts of the list version", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("puts the version for the first reserve of a second only; one trailing put brings KV to the newest", async () => {
    // Date is frozen (timers are real: the trailing put's runs inside the RPC call's waitUntil).
    vi.useFakeTimers({ now: Date.now() + 60_000, toFake: ["Date"] });
    const made = await insertProducts([{ stock: 1 }, { stock: 1 }, { stock: 1 }]);
    const puts = vi.spyOn(env.CACHE, "put");
    const versionPuts = () => puts.mock.calls.filter(([key]) => key === "catalog:list-version").length;
    // Each sells its product's last unit out.
    for (const { id } of made)
      expect(await exports.ProductsRpc.reserve(orderId(), [{ productId: id, quantity: 1 }])).toMatchObject({
        ok: true,
      });
    expect(versionPuts()).toBe(1);
    vi.setSystemTime(Date.now() + 1000);
    const newest = await readListVersion(database(env.DB));
    await vi.waitFor(async () => expect(await env.CACHE.get("catalog:list-version")).toBe(String(newest)), {
      timeout: 5000,
      interval: 50,
    });
    expect(versionPuts()).toBe(2);
  });
});
