import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inject } from "vitest";
import { adminToken, api, expectJson, registerUser } from "./client";

// The unpaid order that e2e/expiry.test.ts watches expire. expiry-order.test.ts places it as the suite starts and
// the sequencer (sequencer.ts) runs expiry.test.ts last, so the wait for the TTL and the cron overlaps the other
// files instead of adding to them.

/** What expiry.test.ts needs of the order: whose it is and what it holds. */
export interface ExpiringOrder {
  orderId: string;
  productId: string;
  buyerToken: string;
  /** Units of the product before the order held 2 of them. */
  stockBefore: number;
}

const handoff = () => {
  const stateDir = inject("stateDir");
  return stateDir === "" ? undefined : join(stateDir, "expiring-order.json");
};

/** An unpaid order of 2 units of its own product (5 in stock), by its own buyer: nothing else touches either. */
export async function placeExpiringOrder(): Promise<ExpiringOrder> {
  const admin = await adminToken();
  const product = await expectJson<{ product: { id: string } }>(
    await api("/api/products", {
      method: "POST",
      token: admin,
      json: { name: `E2E expiry ${crypto.randomUUID()}`, price: 700, category: "e2e", stock: 5 },
    }),
    201,
  );
  const buyer = await registerUser();
  const { order } = await expectJson<{ order: { id: string; status: string } }>(
    await api("/api/orders", {
      method: "POST",
      token: buyer.token,
      headers: { "idempotency-key": crypto.randomUUID() },
      json: {
        items: [{ productId: product.product.id, quantity: 2 }],
        shippingAddress: "1 Main St, Springfield",
      },
    }),
    201,
  );
  if (order.status !== "pending") throw new Error(`a new order is ${order.status}, not pending`);
  return { orderId: order.id, productId: product.product.id, buyerToken: buyer.token, stockBefore: 5 };
}

/** The product's stock as the public product page shows it. */
export async function stockOf(productId: string): Promise<number> {
  const response = await api(`/api/products/${productId}`);
  return (await expectJson<{ product: { stock: number } }>(response, 200)).product.stock;
}

/** Leaves the order for expiry.test.ts (only under the suite's own stack, whose state folder it writes to). */
export async function handOver(order: ExpiringOrder): Promise<void> {
  const file = handoff();
  if (file) await writeFile(file, JSON.stringify(order));
}

/** The order placed as the suite started, if there is one (not when expiry.test.ts runs alone). */
export async function takeOver(): Promise<ExpiringOrder | undefined> {
  const file = handoff();
  if (!file) return undefined;
  try {
    return JSON.parse(await readFile(file, "utf8")) as ExpiringOrder;
  } catch {
    return undefined;
  }
}
