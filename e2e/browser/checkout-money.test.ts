import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "../../scripts/lib/chromium";
import { adminToken, api, eventually, expectJson, registerUser } from "../client";
import { createProduct, openShop, uniqueWord } from "./shop";

describe.skipIf(!hasChromium)("money at checkout in headless Chromium", () => {
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("checks out to Germany with express shipping and a promotion code, and shows the breakdown everywhere", async () => {
    if (!browser) throw new Error("no browser");
    const customer = await registerUser();
    const product = await createProduct(`Money lamp ${uniqueWord()}`, 2599);
    const code = `SAVE${uniqueWord()}`.toUpperCase();
    await expectJson(
      await api("/api/admin/promotions", {
        method: "POST",
        token: await adminToken(),
        json: { code, type: "percentage", value: 10, usageLimit: 5 },
      }),
      201,
    );
    const { context, page, problems } = await openShop(browser);
    try {
      await page.goto(`/#/products/${product.id}`);
      await page.getByRole("button", { name: `Add ${product.name} to cart` }).click();
      await page.getByRole("link", { name: "Cart, 1 item" }).click();
      await page.getByRole("link", { name: "Log in to check out" }).click();
      await page.getByLabel("Email").fill(customer.email);
      await page.getByLabel("Password").fill(customer.password);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("heading", { level: 1, name: "Checkout" }).waitFor();

      // Norway: standard only. Germany: standard and express.
      await page.getByLabel(/^Express/).waitFor();
      await page.getByLabel("Country").selectOption("NO");
      await page.getByLabel(/^Express/).waitFor({ state: "detached" });
      await page.getByLabel(/^Standard/).waitFor();
      await page.getByLabel("Country").selectOption("DE");
      await page.getByLabel(/^Express: \$14\.99/).check();
      await page.getByLabel("Address").fill("Unter den Linden 1");
      await page.getByLabel("City").fill("Berlin");
      await page.getByLabel("Postal code").fill("10117");

      // A code that does not exist, then ours (any case): its discount previewed in the breakdown.
      await page.getByLabel("Promotion code").fill("NOPE-NOT-A-CODE");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText("There is no such promotion code.").waitFor();
      await page.getByLabel("Promotion code").fill(code.toLowerCase());
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText(`Code ${code} applied: −$2.60.`).waitFor();
      const preview = page.getByRole("definition").filter({ hasText: "$14.99" });
      await preview.waitFor();
      // 2599 − 260 + 1499 = 3838 before tax.
      expect(await page.locator("#breakdown-total").textContent()).toBe("$38.38");

      await page.getByRole("button", { name: "Place order" }).click();
      await page.getByRole("heading", { level: 1, name: /^Pay for order / }).waitFor();
      // Germany's 19 % on 3838 = 729.22 → 729; total 4567.
      const breakdown = page.getByLabel("Price breakdown");
      const text = (await breakdown.textContent()) ?? "";
      for (const part of [
        "Subtotal$25.99",
        `Discount (${code})−$2.60`,
        "Shipping (Express)$14.99",
        "Tax$7.29",
      ]) {
        expect(text).toContain(part);
      }
      await page.getByLabel(/Visa ending 4242/).check();
      await page.getByRole("button", { name: "Pay $45.67" }).click();
      await page.getByText("Payment received.").waitFor();
      expect((await page.getByLabel("Price breakdown").textContent()) ?? "").toContain("Tax$7.29");

      // The receipt shows the breakdown too.
      const receipt = await eventually(async () => {
        const { notifications } = await expectJson<{ notifications: { eventType: string; body: string }[] }>(
          await api("/api/notifications", { token: customer.token }),
          200,
        );
        return notifications.find((n) => n.eventType === "payment.succeeded");
      });
      for (const part of [
        `Discount (${code}): −$2.60`,
        "Shipping (Express): $14.99",
        "Tax: $7.29",
        "Total paid: $45.67",
      ]) {
        expect(receipt.body).toContain(part);
      }
      expect(problems.pageErrors).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
