// Helpers shared by the browser tests: a fresh page on the shop and test data made through the API.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { inject } from "vitest";
import { adminToken, api, expectJson, freshIp } from "../client";

/** Bounded waits: the stack is local; notifications arrive through a queue within a few seconds. */
export const UI_TIMEOUT = 15_000;

export interface Problems {
  pageErrors: string[];
  cspViolations: string[];
}

/** A new browser context on the shop, with its own client address and a record of script errors and CSP reports. */
export async function openShop(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; problems: Problems }> {
  // A client address of its own: the auth rate limit (per IP) never couples this test to the others.
  const context = await browser.newContext({
    baseURL: inject("baseUrl"),
    extraHTTPHeaders: { "cf-connecting-ip": freshIp() },
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  const problems: Problems = { pageErrors: [], cspViolations: [] };
  page.on("pageerror", (error) => problems.pageErrors.push(error.message));
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.cspViolations.push(message.text());
  });
  return { context, page, problems };
}

let admin: Promise<string> | undefined;

/** A product of the test's own, so a search finds exactly it whatever the seed holds. */
export async function createProduct(name: string, price = 2599, stock = 5, category = "Lighting") {
  // One admin login per test file: logging in costs a password hash.
  admin ??= adminToken();
  const token = await admin;
  const body = await expectJson<{ product: { id: string; name: string } }>(
    await api("/api/products", {
      method: "POST",
      token,
      json: {
        name,
        description: "A browser-tested product.",
        price,
        currency: "USD",
        category,
        stock,
      },
    }),
    201,
  );
  return body.product;
}

/** A unique lower-case word for names and emails. */
export function uniqueWord(): string {
  return `e2e${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
}
