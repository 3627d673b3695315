import { describe, inject, it } from "vitest";
import { eventually } from "./client";
import { handOver, placeExpiringOrder, stockOf } from "./expiring-order";

// Runs first (sequencer.ts): places the order that expiry.test.ts, run last, sees expire.

describe.skipIf(inject("orderTtlMinutes") > 2 || inject("stateDir") === "")("an order left to expire", () => {
  it("is placed unpaid as the suite starts", async () => {
    const order = await placeExpiringOrder();
    // The order holds 2 of the 5 units until it expires.
    await eventually(async () => ((await stockOf(order.productId)) === 3 ? true : undefined));
    await handOver(order);
  });
});
