import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "../../scripts/lib/chromium";
import { ADMIN, api, registerUser } from "../client";
import { emailedLink } from "../mailbox";
import { openShop } from "./shop";

async function logIn(page: Page, email: string, password: string) {
  await page.goto("/#/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("button", { name: "Log out" }).waitFor();
}

/** The section of the page under a heading (the account page has one per task). */
const section = (page: Page, title: string) =>
  page.locator("section", { has: page.getByRole("heading", { name: title, exact: true }) }).last();

describe.skipIf(!hasChromium)("accounts in headless Chromium", () => {
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("forgot password → the emailed link → a new password → log in with it", async () => {
    if (!browser) throw new Error("no browser");
    const customer = await registerUser();
    const { context, page, problems } = await openShop(browser);
    try {
      await page.goto("/#/login");
      await page.getByRole("link", { name: "Forgot password?" }).click();
      await page.getByRole("heading", { level: 1, name: "Forgot your password?" }).waitFor();
      await page.getByLabel("Email").fill(customer.email);
      await page.getByRole("button", { name: "Send me a link" }).click();
      await page
        .locator("#main")
        .getByRole("status")
        .filter({ hasText: "If an account exists for this address" })
        .waitFor();

      // The local mailbox (the log provider) holds the whole link; the page is opened from it.
      const { link, token } = await emailedLink(customer.token, "user.password_reset_requested");
      expect(new URL(link).hash).toBe(`#/reset-password?token=${token}`);
      await page.goto(`/${new URL(link).hash}`);
      await page.getByRole("heading", { level: 1, name: "Choose a new password" }).waitFor();
      await page.getByLabel(/^New password/).fill("a-fresh-password-1");
      await page.getByLabel("Repeat the new password").fill("a-different-one-2");
      await page.getByRole("button", { name: "Set new password" }).click();
      await page.getByRole("alert").filter({ hasText: "The passwords differ" }).waitFor();
      await page.getByLabel("Repeat the new password").fill("a-fresh-password-1");
      await page.getByRole("button", { name: "Set new password" }).click();
      await page
        .locator("#main")
        .getByRole("status")
        .filter({ hasText: "Your password has been changed." })
        .waitFor();

      // The link worked once: opened again (in a fresh page load), it is refused with a way to ask for another.
      await page.goto("/#/");
      await page.goto(`/${new URL(link).hash}`);
      await page.getByRole("heading", { level: 1, name: "Choose a new password" }).waitFor();
      await page.getByLabel(/^New password/).fill("yet-another-password-3");
      await page.getByLabel("Repeat the new password").fill("yet-another-password-3");
      await page.getByRole("button", { name: "Set new password" }).click();
      await page.getByRole("alert").filter({ hasText: "already used" }).waitFor();

      await logIn(page, customer.email, "a-fresh-password-1");
      const old = await api("/api/users/login", {
        method: "POST",
        json: { email: customer.email, password: customer.password },
      });
      expect(old.status).toBe(401);
      expect(problems.pageErrors).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("confirms the address from the welcome link, downloads the data, and deletes the account after confirming", async () => {
    if (!browser) throw new Error("no browser");
    const customer = await registerUser();
    const { context, page, problems } = await openShop(browser);
    try {
      const { link } = await emailedLink(customer.token, "user.registered");
      await logIn(page, customer.email, customer.password);
      await page.goto(`/${new URL(link).hash}`);
      await page.getByRole("button", { name: "Confirm my email address" }).click();
      await page
        .locator("#main")
        .getByRole("status")
        .filter({ hasText: `${customer.email} is confirmed` })
        .waitFor();

      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
      await page.getByRole("heading", { level: 1, name: "Your account" }).waitFor();
      expect(await page.locator("#account-email").textContent()).toContain("confirmed");

      // The export is a JSON download of every record.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download my data" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe("edge-shop-data.json");
      const data = JSON.parse(await readFile(await download.path(), "utf8")) as { user: { email: string } };
      expect(data).toMatchObject({ user: { email: customer.email }, orders: [], payments: [] });

      // Deleting needs the password, then a confirmation; "Keep my account" backs out.
      const danger = section(page, "Delete your account");
      await danger.getByLabel("Current password").fill("not-my-password");
      await danger.getByRole("button", { name: "Delete my account" }).click();
      await danger.getByRole("button", { name: "Keep my account" }).click();
      await danger.getByRole("button", { name: "Delete my account" }).click();
      await danger.getByRole("button", { name: "Yes, delete my account" }).click();
      await danger.getByRole("alert").filter({ hasText: "current password is not correct" }).waitFor();
      await danger.getByLabel("Current password").fill(customer.password);
      await danger.getByRole("button", { name: "Delete my account" }).click();
      await danger.getByRole("button", { name: "Yes, delete my account" }).click();
      await page.getByRole("heading", { level: 1, name: "Account deleted" }).waitFor();
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Log in" }).waitFor();

      const login = await api("/api/users/login", {
        method: "POST",
        json: { email: customer.email, password: customer.password },
      });
      expect(login.status).toBe(401);
      expect(problems.pageErrors).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("lets an admin find an account and disable it, never their own", async () => {
    if (!browser) throw new Error("no browser");
    const customer = await registerUser();
    const { context, page, problems } = await openShop(browser);
    try {
      await logIn(page, ADMIN.email, ADMIN.password);
      await page.goto("/#/admin/users");
      await page.getByRole("heading", { level: 1, name: "Admin: users" }).waitFor();
      await page.getByLabel("Email or name").fill(customer.email);
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByRole("button", { name: `Disable: ${customer.email}` }).click();
      await page.getByRole("button", { name: `Enable: ${customer.email}` }).waitFor();
      const refused = await api("/api/users/login", {
        method: "POST",
        json: { email: customer.email, password: customer.password },
      });
      expect(refused.status).toBe(401);

      await page.getByLabel("Email or name").fill(ADMIN.email);
      await page.getByRole("button", { name: "Search" }).click();
      const own = page.getByRole("row").filter({ hasText: ADMIN.email });
      await own.waitFor();
      expect(await own.getByRole("button").count()).toBe(0);
      expect(problems.pageErrors).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
