import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertProducts, orderId, stockOf } from "./helpers";

const rpc = exports.ProductsRpc;

describe("ProductsRpc.returnStock (a return with restock)", () => {
  it("puts exactly the returned units back, once per return, also concurrently; a release gives back only the rest", async () => {
    const [a, b] = await insertProducts([{ stock: 5 }, { stock: 5 }]);
    const order = orderId();
    const idA = a?.id ?? "";
    const idB = b?.id ?? "";
    await rpc.reserve(order, [
      { productId: idA, quantity: 3 },
      { productId: idB, quantity: 2 },
    ]);
    expect([await stockOf(idA), await stockOf(idB)]).toEqual([2, 3]);
    const first = [
      { productId: idA, quantity: 1 },
      { productId: idB, quantity: 2 },
    ];
    const results = await Promise.all([
      rpc.returnStock(order, "ret-1", first),
      rpc.returnStock(order, "ret-1", first),
      rpc.returnStock(order, "ret-1", first),
    ]);
    expect(results.filter((r) => r.returned)).toHaveLength(1);
    expect([await stockOf(idA), await stockOf(idB)]).toEqual([3, 5]);
    // More units than the order still holds: nothing.
    expect(await rpc.returnStock(order, "ret-2", [{ productId: idB, quantity: 1 }])).toEqual({
      returned: false,
    });
    expect(await rpc.returnStock(order, "ret-3", [{ productId: idA, quantity: 3 }])).toEqual({
      returned: false,
    });
    expect([await stockOf(idA), await stockOf(idB)]).toEqual([3, 5]);
    // The order's release gives back the 2 units it still held, not the returned ones again.
    expect(await rpc.release(order)).toEqual({ released: true });
    expect([await stockOf(idA), await stockOf(idB)]).toEqual([5, 5]);
    // After the release a return changes nothing.
    expect(await rpc.returnStock(order, "ret-4", [{ productId: idA, quantity: 1 }])).toEqual({
      returned: false,
    });
    expect(await stockOf(idA)).toBe(5);
  });
});
