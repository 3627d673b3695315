import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "../../scripts/lib/chromium";
import { adminToken, api, expectJson, registerUser } from "../client";
import { createProduct, openShop, uniqueWord } from "./shop";

describe.skipIf(!hasChromium)("the server cart in headless Chromium", () => {
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("a guest adds to the cart, logs in, finds the lines still there, checks out, and the cart is empty", async () => {
    if (!browser) throw new Error("no browser");
    const customer = await registerUser();
    const [lamp, shade] = await Promise.all([
      createProduct(`Cart lamp ${uniqueWord()}`, 2599),
      createProduct(`Cart shade ${uniqueWord()}`, 1000),
    ]);
    const { context, page, problems } = await openShop(browser);
    try {
      // As a guest: two products into a cart the server keeps (its id in this browser).
      await page.goto(`/#/products/${lamp.id}`);
      await page.getByRole("button", { name: `Add ${lamp.name} to cart` }).click();
      await page.getByRole("link", { name: "Cart, 1 item" }).waitFor();
      await page.goto(`/#/products/${shade.id}`);
      await page.getByRole("heading", { level: 1, name: shade.name }).waitFor();
      await page.getByLabel("Quantity").fill("2");
      await page.getByRole("button", { name: `Add ${shade.name} to cart` }).click();
      await page.getByRole("link", { name: "Cart, 3 items" }).waitFor();
      const guestCart = await page.evaluate(() => localStorage.getItem("edge-shop.guest-cart"));
      expect(guestCart).toMatch(/^[0-9a-f]{32}$/);

      // Log in: the guest cart is claimed into the customer's cart.
      await page.getByRole("link", { name: "Cart, 3 items" }).click();
      await page.getByRole("heading", { level: 1, name: "Your cart" }).waitFor();
      await page.getByRole("link", { name: "Log in to check out" }).click();
      await page.getByLabel("Email").fill(customer.email);
      await page.getByLabel("Password").fill(customer.password);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("heading", { level: 1, name: "Checkout" }).waitFor();
      expect(await page.evaluate(() => localStorage.getItem("edge-shop.guest-cart"))).toBeNull();
      const summary = page.getByRole("list", { name: "Order summary" });
      expect((await summary.textContent()) ?? "").toContain(`1 × ${lamp.name}`);
      expect((await summary.textContent()) ?? "").toContain(`2 × ${shade.name}`);
      await page.getByRole("link", { name: "Cart, 3 items" }).waitFor();

      // The cart page shows it too, at the server's prices.
      await page.getByRole("link", { name: "Cart, 3 items" }).click();
      await page.getByRole("heading", { level: 1, name: "Your cart" }).waitFor();
      expect(await page.locator(".total strong").textContent()).toBe("$45.99");

      // Check out: the order has the cart's lines, and the cart is empty afterwards.
      await page.getByRole("link", { name: "Checkout" }).click();
      await page.getByLabel("Address").fill("1 Main St");
      await page.getByLabel("City").fill("Springfield");
      await page.getByLabel("Postal code").fill("12345");
      await page.getByLabel("Country").fill("US");
      await page.getByRole("button", { name: "Place order" }).click();
      await page.getByRole("heading", { level: 1, name: /^Pay for order / }).waitFor();
      await page.getByRole("link", { name: "Cart, 0 items" }).waitFor();
      const { cart } = await expectJson<{ cart: { items: unknown[] } }>(
        await api("/api/cart", { token: customer.token }),
        200,
      );
      expect(cart.items).toEqual([]);
      const { orders } = await expectJson<{ orders: { total: number }[] }>(
        await api("/api/orders", { token: customer.token }),
        200,
      );
      expect(orders.map((o) => o.total)).toEqual([4599]);
      expect(problems.pageErrors).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("points out a price that changed and a line the stock no longer covers, and holds checkout back", async () => {
    if (!browser) throw new Error("no browser");
    const product = await createProduct(`Cart vase ${uniqueWord()}`, 1500, 5);
    const { context, page, problems } = await openShop(browser);
    try {
      await page.goto(`/#/products/${product.id}`);
      await page.getByRole("heading", { level: 1, name: product.name }).waitFor();
      await page.getByLabel("Quantity").fill("3");
      await page.getByRole("button", { name: `Add ${product.name} to cart` }).click();
      await page.getByRole("link", { name: "Cart, 3 items" }).waitFor();
      const admin = await adminToken();
      await expectJson(
        await api(`/api/products/${product.id}`, {
          method: "PATCH",
          token: admin,
          json: { price: 1800, stock: 2 },
        }),
        200,
      );
      await page.getByRole("link", { name: "Cart, 3 items" }).click();
      const line = page.locator(`tr[data-product-id="${product.id}"]`);
      await line.waitFor();
      expect(await line.textContent()).toContain("Price changed from $15.00");
      expect(await line.textContent()).toContain("Not available in this quantity");
      expect(await line.textContent()).toContain("$18.00");
      await page.getByText("Remove or reduce the lines marked unavailable to check out.").waitFor();
      // Down to what is in stock: available again.
      await page.getByLabel(`Quantity of ${product.name}`).fill("2");
      await page.getByLabel(`Quantity of ${product.name}`).press("Enter");
      await page.getByRole("link", { name: "Cart, 2 items" }).waitFor();
      await page.getByRole("link", { name: "Log in to check out" }).waitFor();
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
