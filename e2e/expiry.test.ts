import { describe, expect, inject, it } from "vitest";
import { api, eventually, expectJson } from "./client";
import { placeExpiringOrder, stockOf, takeOver } from "./expiring-order";

// Scheduled work while the stack runs: orders' cron (fired by the stack like Cloudflare would, scripts/lib/crons.ts)
// cancels an unpaid order once ORDER_TTL_MINUTES have passed and gives its stock back. Public API only. The order
// was placed as the suite started (expiry-order.test.ts) and this file runs last, so the wait is mostly over;
// run alone, it places its own order and waits the whole time.

const ttlMinutes = inject("orderTtlMinutes");
// The order expires at the first cron run (every minute) after its TTL; then the catalog shows the stock again.
const waitMs = (ttlMinutes + 1) * 60_000 + 30_000;

// Against a stack with the default TTL (E2E_BASE_URL, 30 minutes) the wait would be too long.
describe.skipIf(ttlMinutes > 2)("scheduled work under the local stack", () => {
  it("expires an unpaid order and returns its stock", { timeout: waitMs + 30_000 }, async () => {
    const placed = await takeOver();
    const order = placed ?? (await placeExpiringOrder());
    if (!placed) {
      // Placed just now: the order holds 2 of the 5 units until it expires.
      await eventually(async () => ((await stockOf(order.productId)) === 3 ? true : undefined));
    }

    const cancelled = await eventually(
      async () => {
        const response = await api(`/api/orders/${order.orderId}`, { token: order.buyerToken });
        const body = await expectJson<{ order: { status: string } }>(response, 200);
        return body.order.status === "pending" ? undefined : body.order;
      },
      waitMs,
      2000,
    );
    expect(cancelled.status).toBe("cancelled");
    await eventually(async () => ((await stockOf(order.productId)) === order.stockBefore ? true : undefined));
  });
});
