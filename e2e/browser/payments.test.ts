import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, skipBrowserTests } from "../../scripts/lib/chromium";
import { api, expectJson, registerUser } from "../client";
import { createProduct, openShop, uniqueWord } from "./shop";

/** A signed-in customer with a pending order, made through the API (the cart's pages are tested elsewhere). */
async function customerWithOrder() {
  const customer = await registerUser();
  // 50.00 ships free and the US charges no tax: the order's total is the lamp's price.
  const product = await createProduct(`Lamp ${uniqueWord()}`, 5000);
  const { order } = await expectJson<{ order: { id: string } }>(
    await api("/api/orders", {
      method: "POST",
      token: customer.token,
      headers: { "idempotency-key": crypto.randomUUID() },
      json: {
        items: [{ productId: product.id, quantity: 1 }],
        shippingAddress: { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
      },
    }),
    201,
  );
  return { customer, order };
}

/** Signs the customer in (their session in storage), opens the order's payment page and pays with the 3-D Secure card. */
async function payWithThreeDSecure(
  page: Page,
  customer: Awaited<ReturnType<typeof registerUser>>,
  orderId: string,
) {
  await page.goto("/");
  await page.evaluate(
    ([token, refreshToken, user]) =>
      localStorage.setItem("edge-shop.session", JSON.stringify({ token, refreshToken, user })),
    [customer.token, customer.refreshToken, customer.user] as const,
  );
  await page.goto(`/#/orders/${encodeURIComponent(orderId)}/pay`);
  await page.getByRole("heading", { level: 1, name: /^Pay for order / }).waitFor();
  await page.getByLabel(/3-D Secure card/).check();
  await page.getByRole("button", { name: "Pay $50.00" }).click();
}

describe.skipIf(skipBrowserTests)("paying with a card that asks for 3-D Secure, in Chromium", () => {
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("follows the redirect to the simulator's page, completes the authentication, and comes back to the order paid", async () => {
    if (!browser) throw new Error("no browser");
    const { customer, order } = await customerWithOrder();
    const { context, page, problems } = await openShop(browser);
    try {
      await payWithThreeDSecure(page, customer, order.id);

      // The simulator's page, same origin: its first form completes the authentication.
      await page.getByRole("heading", { level: 1, name: "Authenticate your card" }).waitFor();
      expect(new URL(page.url()).pathname).toMatch(/^\/api\/payments\/simulator\/3ds\//);
      expect(await page.getByText("$50.00").count()).toBe(1);
      await page.getByRole("button", { name: "Complete authentication" }).click();

      // Back at the order: paid.
      await page.getByText("Payment received.").waitFor();
      expect(new URL(page.url()).hash).toMatch(new RegExp(`^#/orders/${order.id}\\?payment=`));
      expect(await page.locator("#order-status").textContent()).toBe("paid");
      expect(problems.pageErrors).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("a failed authentication comes back to the order with the failure, still payable", async () => {
    if (!browser) throw new Error("no browser");
    const { customer, order } = await customerWithOrder();
    const { context, page, problems } = await openShop(browser);
    try {
      await payWithThreeDSecure(page, customer, order.id);
      await page.getByRole("button", { name: "Fail authentication" }).click();
      const alert = page.getByRole("alert").filter({ hasText: "Payment failed" });
      await alert.waitFor();
      expect(await alert.textContent()).toContain("authentication_failed");
      expect(await page.locator("#order-status").textContent()).toBe("pending");
      await page.getByRole("link", { name: "Pay now" }).waitFor();
      expect(problems.pageErrors).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
