import { env } from "cloudflare:workers";
import type { Order } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { address, call, pid, products, user } from "./helpers";

const options = async (query: string) => {
  const response = await call(`/api/shipping-options?${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { shippingOptions: { id: string; amount: number }[] }).shippingOptions;
};

const order = (terms: Record<string, unknown>, productId = pid("usd", 1000, 10), quantity = 1) =>
  call("/api/orders", {
    as: user(),
    key: crypto.randomUUID(),
    json: { items: [{ productId, quantity }], ...terms },
  });

describe("GET /api/shipping-options", () => {
  it("lists standard (free from 5000) and express where express ships; only standard elsewhere", async () => {
    expect(
      await call("/api/shipping-options?country=de&subtotal=1000&currency=EUR").then((r) => r.json()),
    ).toEqual({
      shippingOptions: [
        { id: "standard", name: "Standard", amount: 499, currency: "EUR", estimatedDays: 5 },
        { id: "express", name: "Express", amount: 1499, currency: "EUR", estimatedDays: 2 },
      ],
    });
    expect(await options("country=US&subtotal=5000&currency=USD")).toMatchObject([
      { id: "standard", amount: 0 },
      { id: "express", amount: 1499 },
    ]);
    expect((await options("country=NO&subtotal=1000&currency=USD")).map((o) => o.id)).toEqual(["standard"]);
    expect((await options("subtotal=1000&currency=USD")).map((o) => o.id)).toEqual(["standard"]);
  });

  it("refuses a query it cannot price: 400 with errors[]", async () => {
    for (const query of [
      "country=US&currency=USD",
      "country=USA&subtotal=1&currency=USD",
      "subtotal=-1&currency=USD",
    ]) {
      const response = await call(`/api/shipping-options?${query}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: "validation_failed" });
    }
  });
});

describe("POST /api/orders: shipping and tax", () => {
  it("charges the destination's tax on subtotal + shipping, rounded half-up once", async () => {
    // 3 × 1234 = 3702 + 499 standard = 4201; FR 20 % = 840.2 → 840.
    const response = await order({ shippingAddress: { ...address, country: "fr" } }, pid("usd", 1234, 10), 3);
    expect(response.status).toBe(201);
    const { order: created } = (await response.json()) as { order: Order };
    expect(created).toMatchObject({
      subtotal: 3702,
      discountTotal: 0,
      shippingTotal: 499,
      taxTotal: 840,
      total: 3702 + 499 + 840,
      shippingOption: { id: "standard", name: "Standard", amount: 499 },
    });
  });

  it("takes shippingOptionId; an option that does not ship to the country is 422 and takes no stock", async () => {
    const productId = pid("usd", 1000, 10);
    const express = await order(
      { shippingAddress: { ...address, country: "GB" }, shippingOptionId: "express" },
      productId,
    );
    expect(express.status).toBe(201);
    expect(await express.json()).toMatchObject({
      order: { shippingTotal: 1499, taxTotal: 500, total: 1000 + 1499 + 500 },
    });
    for (const terms of [
      { shippingAddress: { ...address, country: "NO" }, shippingOptionId: "express" },
      { shippingAddress: "1 Main St, Springfield", shippingOptionId: "express" },
      { shippingAddress: address, shippingOptionId: "teleport" },
    ]) {
      const refused = await order(terms, productId);
      expect(refused.status).toBe(422);
      expect(await refused.json()).toMatchObject({
        code: "shipping_unavailable",
        errors: [{ path: "shippingOptionId" }],
      });
    }
    expect(await products.stockOf(productId)).toBe(9);
  });

  it("an address without a country ships standard and pays no tax", async () => {
    const response = await order({ shippingAddress: "1 Main St, Springfield" });
    expect(await response.json()).toMatchObject({ order: { shippingTotal: 499, taxTotal: 0, total: 1499 } });
  });
});

describe("orders placed before money at checkout", () => {
  it("read back with the new fields filled consistently by the migration's backfill", async () => {
    const id = `old-${crypto.randomUUID()}`;
    const owner = user();
    // A row as the old schema wrote it (no new columns), then the migration's hand-written backfill.
    await env.DB.prepare(
      `INSERT INTO orders (id, user_id, status, total, currency, shipping_address, created_at, updated_at)
       VALUES (?, ?, 'paid', 4242, 'USD', '"1 Old St"', 1, 1)`,
    )
      .bind(id, owner.userId)
      .run();
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0006_"));
    const backfill = migration?.queries.find((q) => q.includes("SET `subtotal` = `total`"));
    expect(backfill).toBeDefined();
    await env.DB.prepare(`${backfill?.trim().replace(/;$/, "")} WHERE id = ?`)
      .bind(id)
      .run();
    const response = await call(`/api/orders/${id}`, { as: owner });
    expect(await response.json()).toMatchObject({
      order: {
        subtotal: 4242,
        discountTotal: 0,
        shippingTotal: 0,
        taxTotal: 0,
        total: 4242,
        promotionCode: null,
        shippingOption: { id: "standard", name: "Standard", amount: 0 },
      },
    });
  });
});
