import { describe, expect, inject, it } from "vitest";
import { adminToken, api, eventually, expectJson, registerUser } from "./client";

// Scheduled work while the stack runs: orders' cron (fired by the stack like Cloudflare would, scripts/lib/crons.ts)
// cancels an unpaid order once ORDER_TTL_MINUTES have passed and gives its stock back. Public API only.

const ttlMinutes = inject("orderTtlMinutes");
// The order expires at the first cron run (every minute) after its TTL; then the catalog shows the stock again.
const waitMs = (ttlMinutes + 1) * 60_000 + 30_000;

async function stockOf(productId: string): Promise<number> {
  const response = await api(`/api/products/${productId}`);
  return (await expectJson<{ product: { stock: number } }>(response, 200)).product.stock;
}

// Against a stack with the default TTL (E2E_BASE_URL, 30 minutes) the wait would be too long.
describe.skipIf(ttlMinutes > 2)("scheduled work under the local stack", () => {
  it("expires an unpaid order and returns its stock", { timeout: waitMs + 30_000 }, async () => {
    const admin = await adminToken();
    // Its own product and buyer: nothing else touches this stock or this order.
    const product = await expectJson<{ product: { id: string } }>(
      await api("/api/products", {
        method: "POST",
        token: admin,
        json: { name: `E2E expiry ${crypto.randomUUID()}`, price: 700, category: "e2e", stock: 5 },
      }),
      201,
    );
    const productId = product.product.id;
    const buyer = await registerUser();
    const { order } = await expectJson<{ order: { id: string; status: string } }>(
      await api("/api/orders", {
        method: "POST",
        token: buyer.token,
        headers: { "idempotency-key": crypto.randomUUID() },
        json: { items: [{ productId, quantity: 2 }], shippingAddress: "1 Main St, Springfield" },
      }),
      201,
    );
    expect(order.status).toBe("pending");
    await eventually(async () => ((await stockOf(productId)) === 3 ? true : undefined));

    const cancelled = await eventually(
      async () => {
        const response = await api(`/api/orders/${order.id}`, { token: buyer.token });
        const body = await expectJson<{ order: { status: string } }>(response, 200);
        return body.order.status === "pending" ? undefined : body.order;
      },
      waitMs,
      2000,
    );
    expect(cancelled.status).toBe("cancelled");
    await eventually(async () => ((await stockOf(productId)) === 5 ? true : undefined));
  });
});
