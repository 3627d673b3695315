import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, skipBrowserTests } from "../../scripts/lib/chromium";
import { openShop } from "./shop";

// /docs with the network cut off: everything the page needs comes from the gateway's own origin.

describe.skipIf(skipBrowserTests)("API reference in headless Chromium", () => {
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("lists the operations with every other origin unreachable, and breaks no CSP rule", async () => {
    if (!browser) throw new Error("no browser");
    const origin = new URL(inject("baseUrl")).origin;
    const { context, page, problems } = await openShop(browser);
    const refused: string[] = [];
    // No network but the shop's origin: any other request fails, as it would offline.
    await context.route("**", (route) => {
      if (new URL(route.request().url()).origin === origin) return route.continue();
      refused.push(route.request().url());
      return route.abort("internetdisconnected");
    });
    try {
      const response = await page.goto("/docs");
      expect(response?.status()).toBe(200);
      await page.getByText("/api/orders/{id}/cancel", { exact: true }).waitFor();
      const paths = await page.locator(".opblock-summary-path").allTextContents();
      for (const path of [
        "/health",
        "/api/products",
        "/api/products/{id}",
        "/api/users/login",
        "/api/payments",
      ]) {
        expect(paths.map((p) => p.replace(/\u200b/g, ""))).toContain(path);
      }
      expect(paths.length).toBeGreaterThan(20);
      expect(refused).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
