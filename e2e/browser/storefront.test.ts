import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, skipBrowserTests } from "../../scripts/lib/chromium";
import { api, registerUser } from "../client";
import { createProduct, openShop, uniqueWord } from "./shop";

const INBOX_TIMEOUT = 30_000;

describe.skipIf(skipBrowserTests)("storefront in headless Chromium", () => {
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("serves the shell with a strict CSP and the API next to it", async () => {
    const response = await api("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(await response.text()).toContain('<script type="module" src="/js/app.js">');
    const missing = await api("/no-such-page");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });

  it("registers, searches, checks out, survives a declined card, pays, and shows the order paid and the receipt", async () => {
    if (!browser) throw new Error("no browser");
    const word = uniqueWord();
    const product = await createProduct(`Lantern ${word}`);
    const { context, page, problems } = await openShop(browser);
    try {
      await page.goto("/");
      await page.getByRole("heading", { level: 1, name: "Catalog" }).waitFor();

      // Register: the session starts and the header switches to the signed-in links.
      await page.getByRole("link", { name: "Register" }).click();
      await page.getByLabel("First name").fill("Grace");
      await page.getByLabel("Last name").fill("Hopper");
      await page.getByLabel("Email").fill(`browser-${word}@example.com`);
      await page.getByLabel("Password").fill("correct-horse-battery");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("button", { name: "Log out" }).waitFor();

      // Search, then add the product to the cart.
      await page.getByRole("searchbox", { name: "Search" }).fill(word);
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByRole("heading", { level: 1, name: `Results for “${word}”` }).waitFor();
      await page.getByRole("link", { name: product.name }).waitFor();
      expect(await page.getByRole("list", { name: "Products" }).getByRole("listitem").count()).toBe(1);
      await page.getByRole("button", { name: `Add ${product.name} to cart` }).click();
      await page.getByRole("link", { name: "Cart, 1 item" }).click();

      // Check out with a shipping address.
      await page.getByRole("heading", { level: 1, name: "Your cart" }).waitFor();
      await page.getByRole("link", { name: "Checkout" }).click();
      await page.getByLabel("Address").fill("1 Main St");
      await page.getByLabel("City").fill("Springfield");
      await page.getByLabel("Postal code").fill("12345");
      await page.getByLabel("Country").selectOption("US");
      await page.getByRole("button", { name: "Place order" }).click();
      await page.getByRole("heading", { level: 1, name: /^Pay for order / }).waitFor();
      const orderId = decodeURIComponent(/#\/orders\/([^/]+)\/pay/.exec(page.url())?.[1] ?? "");
      expect(orderId).not.toBe("");

      // A declined card: the decline is shown, the order stays payable.
      await page.getByLabel(/Card declined/).check();
      await page.getByRole("button", { name: "Pay $30.98" }).click();
      const alert = page.getByRole("alert").filter({ hasText: "Payment declined" });
      await alert.waitFor();
      expect(await alert.textContent()).toContain("card_declined");

      // Another card: paid, and the order page says so.
      await page.getByLabel(/Visa ending 4242/).check();
      await page.getByRole("button", { name: "Pay $30.98" }).click();
      await page.getByText("Payment received.").waitFor();
      expect(await page.locator("#order-status").textContent()).toBe("paid");
      const attempts = page.getByRole("heading", { name: "Payment attempts" });
      await attempts.waitFor();

      // Order history lists it as paid.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
      const row = page.locator(`tr[data-order-id="${orderId}"]`);
      await row.waitFor();
      expect(await row.locator(".status").textContent()).toBe("paid");

      // The receipt reaches the inbox through the queue: refresh until it is there (bounded).
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click();
      await page.getByRole("heading", { level: 1, name: "Inbox" }).waitFor();
      const receipt = page.locator('li[data-event-type="payment.succeeded"]');
      const deadline = Date.now() + INBOX_TIMEOUT;
      while ((await receipt.count()) === 0) {
        if (Date.now() > deadline) throw new Error(`no receipt in the inbox within ${INBOX_TIMEOUT} ms`);
        await page.waitForTimeout(1000);
        await page.getByRole("button", { name: "Refresh" }).click();
        await page.getByRole("heading", { level: 1, name: "Inbox" }).waitFor();
      }
      expect(await receipt.first().textContent()).toMatch(/\$25\.99/);

      expect(problems.pageErrors).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("refreshes a refused access token once and carries on", async () => {
    if (!browser) throw new Error("no browser");
    const customer = await registerUser();
    const { context, page, problems } = await openShop(browser);
    try {
      await page.goto("/");
      // A session whose access token the gateway refuses (as an expired one would be) but whose refresh token is good.
      await page.evaluate(
        ([refreshToken, user]) =>
          localStorage.setItem(
            "edge-shop.session",
            JSON.stringify({ token: "not-a-jwt", refreshToken, user }),
          ),
        [customer.refreshToken, customer.user] as const,
      );
      await page.goto("/#/orders");
      await page.getByRole("heading", { level: 1, name: "Your orders" }).waitFor();
      const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("edge-shop.session") ?? "{}"));
      expect(stored.token).not.toBe("not-a-jwt");
      expect(stored.refreshToken).not.toBe(customer.refreshToken);

      // A session that cannot be refreshed ends: the page asks to log in again.
      await page.evaluate(() =>
        localStorage.setItem(
          "edge-shop.session",
          JSON.stringify({
            token: "not-a-jwt",
            refreshToken: "revoked",
            user: { firstName: "X", role: "user" },
          }),
        ),
      );
      await page.goto("/#/notifications");
      await page.getByRole("heading", { level: 1, name: "Log in required" }).waitFor();
      expect(await page.evaluate(() => localStorage.getItem("edge-shop.session"))).toBeNull();
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("keeps the session when the refresh is refused for now (429 or 503), and renews it later", async () => {
    if (!browser) throw new Error("no browser");
    const customer = await registerUser();
    const { context, page, problems } = await openShop(browser);
    try {
      await page.goto("/");
      const expired = JSON.stringify({
        token: "not-a-jwt",
        refreshToken: customer.refreshToken,
        user: customer.user,
      });
      await page.evaluate((session) => localStorage.setItem("edge-shop.session", session), expired);
      for (const status of [429, 503]) {
        // The gateway's answer when others behind the address used up the window, or users is down.
        await page.route("**/api/users/refresh", (route) =>
          route.fulfill({
            status,
            headers: { "content-type": "application/problem+json", "retry-after": "1" },
            body: JSON.stringify({
              status,
              code: "rate_limited",
              detail: "Too many requests; try again in 1 s",
            }),
          }),
        );
        await page.goto(`/#/orders?try=${status}`);
        await page.getByRole("heading", { level: 1, name: "Something went wrong" }).waitFor();
        expect(await page.evaluate(() => localStorage.getItem("edge-shop.session"))).toBe(expired);
        await page.unroute("**/api/users/refresh");
      }
      // Once the gateway refreshes again (after Retry-After), the same session carries on.
      await page.waitForTimeout(1100);
      await page.goto("/#/orders");
      await page.getByRole("heading", { level: 1, name: "Your orders" }).waitFor();
      const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("edge-shop.session") ?? "{}"));
      expect(stored.refreshToken).not.toBe(customer.refreshToken);
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("filters by category and price, sorts, and pages through the results", async () => {
    if (!browser) throw new Error("no browser");
    const word = uniqueWord();
    const category = `Category ${word}`;
    // 13 products priced $1.00 … $13.00: one more than a page of the catalog (12).
    for (let i = 1; i <= 13; i++)
      await createProduct(`Widget ${word} ${String(i).padStart(2, "0")}`, i * 100, 3, category);
    const { context, page, problems } = await openShop(browser);
    try {
      await page.goto("/");
      await page.getByLabel("Category").selectOption(category);
      await page.getByLabel("Sort by").selectOption("price:desc");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText("13 products", { exact: true }).waitFor();
      const names = page.getByRole("list", { name: "Products" }).getByRole("heading");
      expect(await names.count()).toBe(12);
      expect(await names.first().textContent()).toBe(`Widget ${word} 13`);
      const pagination = page.getByRole("navigation", { name: "Pagination" });
      expect(await pagination.textContent()).toContain("Page 1 of 2");
      await pagination.getByRole("link", { name: "Next →" }).click();
      await pagination.getByText("Page 2 of 2").waitFor();
      expect(await names.allTextContents()).toEqual([`Widget ${word} 01`]);

      // A price range (typed in dollars, sent in cents), cheapest first; the filters survive in the URL.
      await page.getByLabel("Min price ($)").fill("4.5");
      await page.getByLabel("Max price ($)").fill("7");
      await page.getByLabel("Sort by").selectOption("price:asc");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText("3 products", { exact: true }).waitFor();
      expect(await names.allTextContents()).toEqual([5, 6, 7].map((i) => `Widget ${word} 0${i}`));
      expect(decodeURIComponent(page.url())).toContain("minPrice=450");
      await page.reload();
      await page.getByText("3 products", { exact: true }).waitFor();
      expect(await page.getByLabel("Min price ($)").inputValue()).toBe("4.5");
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("works from the keyboard: skip link, focus on each new page's heading, add to cart with Enter", async () => {
    if (!browser) throw new Error("no browser");
    const product = await createProduct(`Keyboard lamp ${uniqueWord()}`);
    const { context, page, problems } = await openShop(browser);
    try {
      await page.goto(`/#/products/${product.id}`);
      await page.getByRole("heading", { level: 1, name: product.name }).waitFor();
      await page.keyboard.press("Tab");
      expect(await page.evaluate("document.activeElement?.textContent")).toBe("Skip to content");
      await page.keyboard.press("Enter");
      expect(await page.evaluate("document.activeElement?.id")).toBe("main");
      expect(page.url()).toContain(`#/products/${product.id}`);

      await page.getByRole("button", { name: `Add ${product.name} to cart` }).focus();
      await page.keyboard.press("Enter");
      await page.getByRole("link", { name: "Cart, 1 item" }).waitFor();
      await page.getByRole("link", { name: "Cart, 1 item" }).focus();
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { level: 1, name: "Your cart" }).waitFor();
      // After navigation the focus is on the new page's heading, so reading starts there.
      await page.waitForFunction("document.activeElement?.tagName === 'H1'");
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
