import { EventTypes } from "@edge-shop/contracts";
import { describe, expect, it } from "vitest";
import { render } from "../src/templates";
import { escapeHtml, formatMoney, oneLine } from "../src/templates/format";
import { event } from "./helpers";

const ada = { email: "ada@example.test", firstName: "Ada", lastName: "Lovelace" };
const evil = { email: "evil@example.test", firstName: "<script>alert(1)</script>", lastName: "X" };
const items = [
  { productId: "p1", name: "Widget", unitPrice: 1999, quantity: 2, lineTotal: 3998 },
  { productId: "p2", name: "<script>steal()</script> & Co", unitPrice: 500, quantity: 1, lineTotal: 500 },
];
const base = { orderId: "ord12345-aaaa", userId: "u1" };
const shop = { origin: "https://shop.test" };
const TOKEN = "q3XbTokenOfTheTests_0123456789abcdefghijklm";
const link = {
  userId: "u1",
  email: ada.email,
  firstName: "Ada",
  token: TOKEN,
  expiresAt: "2026-12-07T10:30:00.000Z",
};

/** Every event that becomes a message (user.deleted erases instead). */
const MessageTypes = EventTypes.filter((type) => type !== "user.deleted");

const samples = {
  "user.registered": event("user.registered", {
    userId: "u1",
    email: ada.email,
    firstName: "Ada",
    lastName: "Lovelace",
  }),
  "user.verification_requested": event("user.verification_requested", link),
  "user.password_reset_requested": event("user.password_reset_requested", link),
  "user.email_change_requested": event("user.email_change_requested", link),
  "user.email_changed": event("user.email_changed", {
    userId: "u1",
    email: ada.email,
    firstName: "Ada",
    newEmail: "new@example.test",
  }),
  "order.created": event("order.created", { ...base, items, total: 4498, currency: "USD" }),
  "order.cancelled": event("order.cancelled", { ...base, reason: "expired" }),
  "order.refunded": event("order.refunded", { ...base, amount: 4498, currency: "USD" }),
  "order.shipped": event("order.shipped", base),
  "order.delivered": event("order.delivered", base),
  "payment.succeeded": event("payment.succeeded", {
    ...base,
    paymentId: "pay1",
    amount: 4498,
    currency: "USD",
    items,
  }),
  "payment.failed": event("payment.failed", {
    ...base,
    paymentId: "pay2",
    amount: 4498,
    currency: "USD",
    reason: "card_declined",
  }),
  "payment.refunded": event("payment.refunded", {
    ...base,
    paymentId: "pay1",
    amount: 4498,
    currency: "USD",
  }),
};

describe("formatting", () => {
  it("formats minor units with the currency's own digits", () => {
    expect(formatMoney(1999, "USD")).toBe("$19.99");
    expect(formatMoney(0, "USD")).toBe("$0.00");
    expect(formatMoney(123456789, "EUR")).toBe("€1,234,567.89");
    expect(formatMoney(500, "JPY")).toBe("¥500");
    // Intl separates a currency code from the number with a no-break space.
    expect(formatMoney(1234, "KWD")).toMatch(/^KWD\s1\.234$/);
    expect(formatMoney(1999, "usd")).toBe("$19.99");
  });

  it("formats each currency with its own digits when several are formatted in turn (one formatter each)", () => {
    const amounts = ["USD", "JPY", "KWD", "EUR", "JPY", "USD"].map((currency) => formatMoney(1000, currency));
    expect(amounts[0]).toBe("$10.00");
    expect(amounts[1]).toBe("¥1,000");
    expect(amounts[2]).toMatch(/^KWD\s1\.000$/);
    expect(amounts.slice(3)).toEqual(["€10.00", "¥1,000", "$10.00"]);
  });

  it("refuses a currency Intl does not know, every time (a refused code is not kept)", () => {
    expect(() => formatMoney(100, "NOPE")).toThrow(RangeError);
    expect(() => formatMoney(100, "NOPE")).toThrow(RangeError);
  });

  it("escapes every HTML-significant character", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });

  it("keeps line breaks out of subjects", () => {
    expect(oneLine("Hi\r\nBcc: x@y.z")).toBe("Hi Bcc: x@y.z");
  });
});

describe("templates", () => {
  it("has a sample for every event type", () => {
    expect(Object.keys(samples).sort()).toEqual([...MessageTypes].sort());
  });

  it.each(MessageTypes)("%s renders a subject, text, HTML and SMS", (type) => {
    const message = render(samples[type], ada, shop);
    expect(message.subject.length).toBeGreaterThan(5);
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect(message.text).toContain("Hi Ada");
    expect(message.html).toMatch(/^<!doctype html>/);
    expect(message.html).toContain("Hi Ada");
    expect(message.sms.length).toBeLessThanOrEqual(160);
  });

  it.each(MessageTypes)("%s escapes a <script> first name in HTML only", (type) => {
    const message = render(samples[type], evil, shop);
    expect(message.html).not.toContain("<script>");
    expect(message.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(message.text).toContain("<script>alert(1)</script>");
  });

  it("a refund is announced when the order is cancelled, then confirmed when issued", () => {
    expect(render(samples["order.refunded"], ada, shop).subject).toBe(
      "Order ORD12345 cancelled: refund of $44.98 under way",
    );
    expect(render(samples["payment.refunded"], ada, shop).subject).toBe(
      "Refund of $44.98 for order ORD12345 issued",
    );
    expect(render(samples["payment.refunded"], ada, shop).text).toContain("payment pay1");
  });

  it("a failed card authentication is told in words", () => {
    const failed = {
      ...samples["payment.failed"],
      data: { ...samples["payment.failed"].data, reason: "authentication_abandoned" },
    };
    expect(render(failed, ada, shop).text).toContain("authentication (3-D Secure) was not completed in time");
  });

  it("the receipt lists every line item and the total, product names escaped in HTML", () => {
    const message = render(samples["payment.succeeded"], ada, shop);
    expect(message.subject).toBe("Receipt for order ORD12345");
    expect(message.text).toContain("2 × Widget @ $19.99 = $39.98");
    expect(message.text).toContain("1 × <script>steal()</script> & Co @ $5.00 = $5.00");
    expect(message.text).toContain("Total paid: $44.98");
    expect(message.html).toContain("&lt;script&gt;steal()&lt;/script&gt; &amp; Co");
    expect(message.html).not.toContain("<script>");
    expect(message.html).toContain("$39.98");
    expect(message.html).toContain("$44.98");
    expect(message.sms).toContain("$44.98");
  });

  it("the receipt shows the order's breakdown: subtotal, discount with its code, shipping, tax, total", () => {
    const receipt = event("payment.succeeded", {
      ...base,
      paymentId: "pay1",
      amount: 4567,
      currency: "USD",
      items: [{ productId: "p1", name: "Lamp", unitPrice: 2599, quantity: 1, lineTotal: 2599 }],
      breakdown: {
        subtotal: 2599,
        discountTotal: 260,
        shippingTotal: 1499,
        taxTotal: 729,
        promotionCode: "SAVE10",
        shippingOption: { id: "express", name: "Express", amount: 1499 },
      },
    });
    const message = render(receipt, ada, shop);
    const lines = message.text.split("\n");
    const at = (label: string) => lines.findIndex((line) => line.startsWith(label));
    expect(lines).toEqual(
      expect.arrayContaining([
        "Subtotal: $25.99",
        "Discount (SAVE10): −$2.60",
        "Shipping (Express): $14.99",
        "Tax: $7.29",
        "Total paid: $45.67",
      ]),
    );
    expect(at("Subtotal")).toBeLessThan(at("Discount"));
    expect(at("Tax")).toBeLessThan(at("Total paid"));
    expect(message.html).toContain("Discount (SAVE10)");
    expect(message.html).toContain("−$2.60");
  });

  it("the order confirmation lists the items and total", () => {
    const message = render(samples["order.created"], ada, shop);
    expect(message.subject).toBe("We received your order ORD12345");
    expect(message.text).toContain("2 × Widget");
    expect(message.text).toContain("Total: $44.98");
    expect(message.html).not.toContain("<script>");
  });

  it("money in other currencies follows the currency's minor units", () => {
    const yen = event("order.refunded", { ...base, amount: 1500, currency: "JPY" });
    expect(render(yen, ada, shop).subject).toBe("Order ORD12345 cancelled: refund of ¥1,500 under way");
  });

  it("payment failures explain known provider reasons and fall back for others", () => {
    expect(render(samples["payment.failed"], ada, shop).text).toContain("$44.98");
    expect(render(samples["payment.failed"], ada, shop).text).toContain("your card was declined");
    const odd = event("payment.failed", {
      ...base,
      paymentId: "p",
      amount: 1,
      currency: "USD",
      reason: "<b>x</b>",
    });
    expect(render(odd, ada, shop).text).toContain("the payment could not be completed");
  });

  it("cancellations say why", () => {
    expect(render(samples["order.cancelled"], ada, shop).text).toContain("because it was not paid in time");
    const byCustomer = event("order.cancelled", { ...base, reason: "customer" });
    expect(render(byCustomer, ada, shop).text).toContain("as you asked");
  });

  it("the welcome message escapes the email address in HTML", () => {
    const odd = event("user.registered", {
      userId: "u",
      email: "a<b>@x.test",
      firstName: "A",
      lastName: "B",
    });
    expect(render(odd, { email: "a<b>@x.test", firstName: "A", lastName: "B" }, shop).html).toContain(
      "a&lt;b&gt;@x.test",
    );
  });

  it("account links point at the storefront's hash routes and expire as the event says", () => {
    const reset = render(samples["user.password_reset_requested"], ada, shop);
    expect(reset.text).toContain(`https://shop.test/#/reset-password?token=${TOKEN}`);
    expect(reset.html).toContain(`href="https://shop.test/#/reset-password?token=${TOKEN}"`);
    expect(reset.text).toContain("2026-12-07 10:30 UTC");
    expect(reset.secrets).toEqual([TOKEN]);
    for (const type of ["user.verification_requested", "user.email_change_requested"] as const) {
      expect(render(samples[type], ada, { origin: "https://shop.test/" }).text).toContain(
        `https://shop.test/#/verify-email?token=${TOKEN}`,
      );
    }
    expect(render(samples["user.email_changed"], ada, shop).text).toContain("now new@example.test");
    expect(render(samples["user.email_changed"], ada, shop).secrets).toBeUndefined();
  });

  it("the welcome message carries the verification link when the event has one", () => {
    const withLink = event("user.registered", {
      userId: "u1",
      email: ada.email,
      firstName: "Ada",
      lastName: "Lovelace",
      verification: { token: TOKEN, expiresAt: "2026-12-08T09:00:00.000Z" },
    });
    const message = render(withLink, ada, shop);
    expect(message.text).toContain(`https://shop.test/#/verify-email?token=${TOKEN}`);
    expect(message.secrets).toEqual([TOKEN]);
    expect(render(samples["user.registered"], ada, shop).secrets).toBeUndefined();
  });
});
