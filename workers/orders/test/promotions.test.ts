import { env, exports } from "cloudflare:workers";
import type { Order } from "@edge-shop/contracts";
import { and, count, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { promotionRedemptions } from "../src/db/schema";
import { expirePendingOrders } from "../src/domain/maintenance";
import { address, type Caller, call, db, pid, products, user } from "./helpers";

const admin = user("admin");
const uniqueCode = (prefix = "P") => `${prefix}${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;

async function createPromotion(terms: Record<string, unknown>): Promise<string> {
  const code = uniqueCode();
  const response = await call("/api/admin/promotions", { as: admin, json: { code, ...terms } });
  expect(response.status, await response.clone().text()).toBe(201);
  return code.toUpperCase();
}

const order = (as: Caller, productId: string, terms: Record<string, unknown>, quantity = 1) =>
  call("/api/orders", {
    as,
    key: crypto.randomUUID(),
    json: { items: [{ productId, quantity }], shippingAddress: address, ...terms },
  });

async function placed(response: Response): Promise<Order> {
  const text = await response.text();
  if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${text}`);
  return (JSON.parse(text) as { order: Order }).order;
}

async function usesOf(code: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(promotionRedemptions)
    .where(and(eq(promotionRedemptions.code, code), isNull(promotionRedemptions.releasedAt)));
  return row?.n ?? 0;
}

const preview = (code: string, subtotal: number, currency = "USD") =>
  call(`/api/promotions/${encodeURIComponent(code)}?subtotal=${subtotal}&currency=${currency}`);

describe("admin promotions", () => {
  it("creates, lists and changes codes; codes are case-insensitive", async () => {
    const code = uniqueCode("save");
    const created = await call("/api/admin/promotions", {
      as: admin,
      json: { code, type: "percentage", value: 15, usageLimit: 10, active: true },
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { promotion: unknown }).promotion).toMatchObject({
      code: code.toUpperCase(),
      type: "percentage",
      value: 15,
      usageLimit: 10,
      perCustomerLimit: null,
      timesUsed: 0,
      active: true,
    });
    const again = await call("/api/admin/promotions", {
      as: admin,
      json: { code: code.toUpperCase(), type: "fixed", value: 100, currency: "USD" },
    });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "promotion_exists" });

    const patched = await call(`/api/admin/promotions/${code.toLowerCase()}`, {
      as: admin,
      method: "PATCH",
      json: { value: 20, usageLimit: null },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ promotion: { value: 20, usageLimit: null } });

    const list = (await (await call("/api/admin/promotions?limit=100", { as: admin })).json()) as {
      promotions: { code: string }[];
      pagination: { total: number };
    };
    expect(list.promotions.map((p) => p.code)).toContain(code.toUpperCase());
    expect(list.pagination.total).toBeGreaterThanOrEqual(1);
  });

  it("is for admins only, and refuses terms that make no sense", async () => {
    const body = { code: uniqueCode(), type: "percentage", value: 10 };
    expect((await call("/api/admin/promotions", { json: body })).status).toBe(401);
    expect((await call("/api/admin/promotions", { as: user(), json: body })).status).toBe(403);
    expect((await call("/api/admin/promotions", { as: user() })).status).toBe(403);
    const bad: [Record<string, unknown>, string][] = [
      [{ type: "percentage", value: 101 }, "value"],
      [{ type: "fixed", value: 500 }, "currency"],
      [{ type: "percentage", value: 0 }, "value"],
      [
        { type: "percentage", value: 5, startsAt: "2030-01-02T00:00:00Z", endsAt: "2030-01-01T00:00:00Z" },
        "endsAt",
      ],
      [{ type: "bogus", value: 5 }, "type"],
    ];
    for (const [terms, path] of bad) {
      const response = await call("/api/admin/promotions", {
        as: admin,
        json: { code: uniqueCode(), ...terms },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errors: [expect.objectContaining({ path })] });
    }
    const missing = await call("/api/admin/promotions/NOPE-NOT-HERE", {
      as: admin,
      method: "PATCH",
      json: { value: 5 },
    });
    expect(missing.status).toBe(404);
  });
});

describe("GET /api/promotions/:code", () => {
  it("previews the discount, rounded half-up; a fixed amount never exceeds the subtotal", async () => {
    const pct = await createPromotion({ type: "percentage", value: 15 });
    expect(await (await preview(pct.toLowerCase(), 1010)).json()).toEqual({
      promotion: { code: pct, type: "percentage", value: 15, discount: 152 }, // 151.5 → 152
    });
    const fixed = await createPromotion({ type: "fixed", value: 2000, currency: "USD" });
    expect(await (await preview(fixed, 1500)).json()).toMatchObject({ promotion: { discount: 1500 } });
  });

  it("names every refusal's reason", async () => {
    const hour = 3_600_000;
    const cases: [Record<string, unknown>, string, number?, string?][] = [
      [{ type: "percentage", value: 10, active: false }, "inactive"],
      [{ type: "percentage", value: 10, startsAt: new Date(Date.now() + hour).toISOString() }, "not_started"],
      [{ type: "percentage", value: 10, endsAt: new Date(Date.now() - hour).toISOString() }, "expired"],
      [{ type: "percentage", value: 10, minSubtotal: 5000 }, "min_subtotal", 4999],
      [{ type: "fixed", value: 100, currency: "EUR" }, "currency"],
      [{ type: "percentage", value: 10, usageLimit: 1 }, "usage_limit"],
    ];
    for (const [terms, reason, subtotal = 1000, currency = "USD"] of cases) {
      const code = await createPromotion(terms);
      if (reason === "usage_limit")
        await placed(await order(user(), pid("usd", 100, 5), { promotionCode: code }));
      const response = await preview(code, subtotal, currency);
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ code: "invalid_promotion", reason });
    }
    expect((await preview("NO-SUCH-CODE", 1000)).status).toBe(404);
    expect((await call("/api/promotions/X?subtotal=-1&currency=USD")).status).toBe(400);
  });
});

describe("POST /api/orders with a promotion code", () => {
  it("discounts the order and keeps total = subtotal − discount + shipping + tax", async () => {
    const code = await createPromotion({ type: "percentage", value: 10 });
    const created = await placed(
      await order(
        user(),
        pid("usd", 1999, 10),
        {
          promotionCode: code.toLowerCase(),
          shippingAddress: { ...address, country: "DE" },
          shippingOptionId: "express",
        },
        2,
      ),
    );
    // 2 × 1999 = 3998; −400 (10 %, 399.8 rounded half-up); +1499 express; tax 19 % of 5097 = 968.43 → 968.
    expect(created).toMatchObject({
      subtotal: 3998,
      discountTotal: 400,
      shippingTotal: 1499,
      taxTotal: 968,
      total: 3998 - 400 + 1499 + 968,
      promotionCode: code,
      shippingOption: { id: "express", name: "Express", amount: 1499 },
    });
  });

  it("a fixed discount never makes the subtotal negative", async () => {
    const code = await createPromotion({ type: "fixed", value: 10_000, currency: "USD" });
    const created = await placed(await order(user(), pid("usd", 300, 5), { promotionCode: code }));
    expect(created).toMatchObject({ subtotal: 300, discountTotal: 300, shippingTotal: 499, total: 499 });
  });

  it("refuses a code that does not apply with 422 invalid_promotion and its reason, taking no stock", async () => {
    const productId = pid("usd", 100, 5);
    const cases: [Record<string, unknown>, string][] = [
      [{ type: "percentage", value: 10, active: false }, "inactive"],
      [{ type: "percentage", value: 10, endsAt: new Date(Date.now() - 1000).toISOString() }, "expired"],
      [
        { type: "percentage", value: 10, startsAt: new Date(Date.now() + 60_000).toISOString() },
        "not_started",
      ],
      [{ type: "percentage", value: 10, minSubtotal: 101 }, "min_subtotal"],
      [{ type: "fixed", value: 50, currency: "EUR" }, "currency"],
    ];
    for (const [terms, reason] of cases) {
      const response = await order(user(), productId, { promotionCode: await createPromotion(terms) });
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ code: "invalid_promotion", reason });
    }
    const unknown = await order(user(), productId, { promotionCode: "NOT-A-CODE" });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ code: "invalid_promotion", reason: "not_found" });
    expect(await products.stockOf(productId)).toBe(5);
  });

  it("20 parallel orders against usageLimit 5 make exactly 5 discounted orders", async () => {
    const code = await createPromotion({ type: "percentage", value: 10, usageLimit: 5 });
    const productId = pid("usd", 1000, 100);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => order(user(), productId, { promotionCode: code })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(201), ...Array(15).fill(422)]);
    for (const response of responses.filter((r) => r.status === 422)) {
      expect(await response.json()).toMatchObject({ code: "invalid_promotion", reason: "usage_limit" });
    }
    expect(await usesOf(code)).toBe(5);
    // The refused orders gave their stock back: only the five hold any.
    expect(await products.stockOf(productId)).toBe(95);
  });

  it("holds perCustomerLimit under parallel orders of one customer", async () => {
    const code = await createPromotion({ type: "percentage", value: 10, perCustomerLimit: 1 });
    const productId = pid("usd", 100, 100);
    const as = user();
    const responses = await Promise.all(
      Array.from({ length: 3 }, () => order(as, productId, { promotionCode: code })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 422, 422]);
    const refused = responses.find((r) => r.status === 422);
    expect(await refused?.json()).toMatchObject({ reason: "customer_limit" });
    // Someone else may still use it.
    expect((await order(user(), productId, { promotionCode: code })).status).toBe(201);
  });

  it("a cancelled or expired unpaid order gives its use back, exactly once; a paid one keeps it", async () => {
    const code = await createPromotion({ type: "percentage", value: 10, usageLimit: 2 });
    const productId = pid("usd", 100, 100);
    const [as1, as2] = [user(), user()];
    const first = await placed(await order(as1, productId, { promotionCode: code }));
    const second = await placed(await order(as2, productId, { promotionCode: code }));
    expect((await order(user(), productId, { promotionCode: code })).status).toBe(422);

    expect((await call(`/api/orders/${first.id}/cancel`, { as: as1, method: "POST" })).status).toBe(200);
    expect((await call(`/api/orders/${first.id}/cancel`, { as: as1, method: "POST" })).status).toBe(409);
    expect(await usesOf(code)).toBe(1);

    await exports.OrdersRpc.markPaid(second.id, "pay-1", "test");
    const third = await placed(await order(user(), productId, { promotionCode: code }));
    expect(await usesOf(code)).toBe(2);
    // Expiry: the unpaid third order gives its use back; the paid one keeps it.
    await expirePendingOrders(env, db, Date.now() + 31 * 60_000);
    await expirePendingOrders(env, db, Date.now() + 31 * 60_000);
    expect((await (await call(`/api/orders/${third.id}`, { as: admin })).json()) as unknown).toMatchObject({
      order: { status: "cancelled" },
    });
    expect(await usesOf(code)).toBe(1);
    const [released] = await db
      .select()
      .from(promotionRedemptions)
      .where(eq(promotionRedemptions.orderId, first.id));
    expect(released?.releasedAt).not.toBeNull();
  });

  it("an order placed after a change gets the new terms, even in an isolate that read the old ones", async () => {
    const code = await createPromotion({ type: "percentage", value: 10 });
    const productId = pid("usd", 1000, 100);
    expect(await placed(await order(user(), productId, { promotionCode: code }))).toMatchObject({
      discountTotal: 100,
    });
    const patched = await call(`/api/admin/promotions/${code}`, {
      as: admin,
      method: "PATCH",
      json: { value: 25 },
    });
    expect(patched.status).toBe(200);
    expect(await placed(await order(user(), productId, { promotionCode: code }))).toMatchObject({
      discountTotal: 250,
    });
    await call(`/api/admin/promotions/${code}`, { as: admin, method: "PATCH", json: { active: false } });
    const refused = await order(user(), productId, { promotionCode: code });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ reason: "inactive" });
  });
});
