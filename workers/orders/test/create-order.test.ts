import type { Order } from "@edge-shop/contracts";
import { describe, expect, it, vi } from "vitest";
import { address, call, outboxOf, pid, placeOrder, products, user } from "./helpers";

describe("POST /api/orders: happy path", () => {
  it("prices on the server, ignoring client-sent prices and names, and reserves the stock", async () => {
    const as = user();
    const a = pid("usd", 1250, 10);
    const b = pid("usd", 399, 10);
    const response = await call("/api/orders", {
      as,
      key: crypto.randomUUID(),
      json: {
        items: [
          { productId: a, quantity: 2, price: 1, unitPrice: 1, name: "cheap" },
          { productId: b, quantity: 3 },
        ],
        shippingAddress: address,
        total: 1,
      },
    });
    expect(response.status).toBe(201);
    const { order } = (await response.json()) as { order: Order };
    expect(order).toMatchObject({
      userId: as.userId,
      status: "pending",
      currency: "USD",
      // Free standard shipping from 5000, no tax to the US: the total is the subtotal.
      subtotal: 2 * 1250 + 3 * 399,
      discountTotal: 0,
      shippingTotal: 499,
      taxTotal: 0,
      total: 2 * 1250 + 3 * 399 + 499,
      promotionCode: null,
      shippingOption: { id: "standard", name: "Standard", amount: 499 },
      shippingAddress: address,
      items: [
        { productId: a, name: `Product ${a}`, unitPrice: 1250, quantity: 2, lineTotal: 2500 },
        { productId: b, name: `Product ${b}`, unitPrice: 399, quantity: 3, lineTotal: 1197 },
      ],
    });
    expect(Object.keys(order).sort()).toEqual(
      [
        "createdAt",
        "currency",
        "discountTotal",
        "id",
        "items",
        "promotionCode",
        "refundedTotal",
        "shippingAddress",
        "shippingOption",
        "shippingTotal",
        "status",
        "subtotal",
        "taxTotal",
        "total",
        "updatedAt",
        "userId",
      ].sort(),
    );
    expect(new Date(order.createdAt).toISOString()).toBe(order.createdAt);
    expect(await products.stockOf(a)).toBe(8);
    expect(await products.stockOf(b)).toBe(7);
  });

  it("stores order.created in the outbox for notifications and publishes it", async () => {
    const order = await placeOrder(user(), [{ productId: pid("usd", 100, 5), quantity: 1 }]);
    // The row is marked sent just after the answer (a write shared by the orders of that moment).
    await vi.waitFor(async () =>
      expect(await outboxOf(order.id)).toEqual([
        { type: "order.created", destination: "notifications-queue", sent: true },
      ]),
    );
  });

  it("accepts a free-text shipping address", async () => {
    const response = await call("/api/orders", {
      as: user(),
      key: crypto.randomUUID(),
      json: {
        items: [{ productId: pid("eur", 100, 5), quantity: 1 }],
        shippingAddress: "1 Rue de la Paix, Paris",
      },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      order: { currency: "EUR", shippingAddress: "1 Rue de la Paix, Paris" },
    });
  });
});

describe("POST /api/orders: refused", () => {
  const invalid: [string, unknown, string][] = [
    ["no items", { items: [], shippingAddress: address }, "items"],
    ["items missing", { shippingAddress: address }, "items"],
    [
      "quantity 0",
      { items: [{ productId: "x", quantity: 0 }], shippingAddress: address },
      "items.0.quantity",
    ],
    [
      "negative quantity",
      { items: [{ productId: "x", quantity: -1 }], shippingAddress: address },
      "items.0.quantity",
    ],
    [
      "quantity 101",
      { items: [{ productId: "x", quantity: 101 }], shippingAddress: address },
      "items.0.quantity",
    ],
    [
      "fractional quantity",
      { items: [{ productId: "x", quantity: 1.5 }], shippingAddress: address },
      "items.0.quantity",
    ],
    [
      "quantity as string",
      { items: [{ productId: "x", quantity: "2" }], shippingAddress: address },
      "items.0.quantity",
    ],
    [
      "duplicate products",
      {
        items: [
          { productId: "x", quantity: 1 },
          { productId: "x", quantity: 2 },
        ],
        shippingAddress: address,
      },
      "items.1.productId",
    ],
    [
      "51 items",
      {
        items: Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })),
        shippingAddress: address,
      },
      "items",
    ],
    ["no address", { items: [{ productId: "x", quantity: 1 }] }, "shippingAddress"],
    ["empty address", { items: [{ productId: "x", quantity: 1 }], shippingAddress: " " }, "shippingAddress"],
  ];
  it.each(invalid)("answers 400 with errors[] for %s", async (_, json, path) => {
    const response = await call("/api/orders", { as: user(), key: crypto.randomUUID(), json });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors.map((e) => e.path)).toContain(path);
  });

  it("answers 400 for malformed JSON", async () => {
    const response = await call("/api/orders", { as: user(), key: crypto.randomUUID(), body: "{nope" });
    expect(response.status).toBe(400);
  });

  it("answers 401 without an identity", async () => {
    const response = await call("/api/orders", {
      key: crypto.randomUUID(),
      json: { items: [{ productId: "x", quantity: 1 }], shippingAddress: address },
    });
    expect(response.status).toBe(401);
  });

  it("answers 409 insufficient_stock listing the short products, and reserves nothing", async () => {
    const plenty = pid("usd", 100, 10);
    const short = pid("usd", 100, 1);
    const response = await call("/api/orders", {
      as: user(),
      key: crypto.randomUUID(),
      json: {
        items: [
          { productId: plenty, quantity: 5 },
          { productId: short, quantity: 2 },
        ],
        shippingAddress: address,
      },
    });
    expect(response.status).toBe(409);
    const problem = (await response.json()) as { code: string; detail: string; errors: unknown[] };
    expect(problem.code).toBe("insufficient_stock");
    expect(problem.detail).toContain(short);
    expect(problem.errors).toEqual([{ path: "items.1.productId", message: "Not enough stock" }]);
    expect(await products.stockOf(plenty)).toBe(10);
    expect(await products.stockOf(short)).toBe(1);
  });

  it.each([
    ["missing", "product_not_found"],
    ["inactive", "product_inactive"],
  ])("answers 400 for a %s product", async (kind, code) => {
    const bad = pid(kind, 100, 5);
    const response = await call("/api/orders", {
      as: user(),
      key: crypto.randomUUID(),
      json: {
        items: [
          { productId: pid("usd", 100, 5), quantity: 1 },
          { productId: bad, quantity: 1 },
        ],
        shippingAddress: address,
      },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code, errors: [{ path: "items.1.productId" }] });
  });

  it("answers 400 mixed_currency for products of several currencies", async () => {
    const response = await call("/api/orders", {
      as: user(),
      key: crypto.randomUUID(),
      json: {
        items: [
          { productId: pid("usd", 100, 5), quantity: 1 },
          { productId: pid("eur", 100, 5), quantity: 1 },
        ],
        shippingAddress: address,
      },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "mixed_currency" });
  });

  it("answers 503 when products fails, and gives back whatever may have been reserved", async () => {
    const response = await call("/api/orders", {
      as: user(),
      key: crypto.randomUUID(),
      json: { items: [{ productId: pid("boom", 100, 5), quantity: 1 }], shippingAddress: address },
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: "products_unavailable" });
  });

  it("releases the reservation when storing the order fails after a successful reserve", async () => {
    const bad = pid("badline", 100, 5);
    const as = user();
    const key = crypto.randomUUID();
    const json = { items: [{ productId: bad, quantity: 3 }], shippingAddress: address };
    const response = await call("/api/orders", { as, key, json });
    expect(response.status).toBe(500);
    expect(await products.reserveCalls(bad)).toBe(1);
    expect(await products.stockOf(bad)).toBe(5);
    // The key's answer was in the failed batch too: nothing stored, the key is released and a retry runs.
    const retry = await call("/api/orders", { as, key, json });
    expect(retry.status).toBe(500);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect(await products.reserveCalls(bad)).toBe(2);
  });
});
