import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng, randomRgb } from "../../packages/worker-kit/testing/png";
import { launchChromium, skipBrowserTests } from "../../scripts/lib/chromium";
import { ADMIN, adminToken, api, expectJson, registerUser } from "../client";
import { createProduct, openShop, uniqueWord } from "./shop";

/** A paid order of a fresh customer (`quantity` lamps at $10.00, plus $4.99 standard shipping), made through the API. */
async function paidOrder(quantity = 1) {
  const product = await createProduct(`Admin lamp ${uniqueWord()}`, 1000, 3);
  const customer = await registerUser();
  const { order } = await expectJson<{ order: { id: string } }>(
    await api("/api/orders", {
      method: "POST",
      token: customer.token,
      headers: { "idempotency-key": crypto.randomUUID() },
      json: { items: [{ productId: product.id, quantity }], shippingAddress: "1 Main St, Springfield" },
    }),
    201,
  );
  const { payment } = await expectJson<{ payment: { status: string } }>(
    await api("/api/payments", {
      method: "POST",
      token: customer.token,
      headers: { "idempotency-key": crypto.randomUUID() },
      json: { orderId: order.id, method: { type: "card", token: "tok_visa" } },
    }),
    201,
  );
  expect(payment.status).toBe("succeeded");
  return order.id;
}

/** Logs the seeded admin in through the login page. */
async function logInAsAdmin(page: Page): Promise<void> {
  await page.goto("/#/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Log in" }).click();
  // The session starts before the page moves on (a guest cart is claimed first): wait, or a later goto is undone.
  await page.waitForURL((url) => !url.hash.startsWith("#/login"));
}

describe.skipIf(skipBrowserTests)("storefront admin in headless Chromium", () => {
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("creates (showing validation errors), edits and deactivates a product, and ships and delivers an order", async () => {
    if (!browser) throw new Error("no browser");
    const orderId = await paidOrder();
    const name = `Desk lamp ${uniqueWord()}`;
    const { context, page, problems } = await openShop(browser);
    try {
      await logInAsAdmin(page);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
      await page.getByRole("heading", { level: 1, name: "Admin: products" }).waitFor();

      // Create: a missing price comes back as a 400 problem, shown in the summary and on the field.
      await page.getByRole("link", { name: "New product" }).click();
      await page.getByLabel("Name").fill(name);
      await page.getByLabel("Category").fill("Lighting");
      await page.getByLabel("Stock").fill("7");
      await page.getByRole("button", { name: "Create product" }).click();
      await page.getByRole("alert").filter({ hasText: "price" }).waitFor();
      expect(await page.getByLabel("Price").getAttribute("aria-invalid")).toBe("true");
      await page.getByLabel("Price").fill("12.50");
      await page.getByRole("button", { name: "Create product" }).click();
      const row = page.getByRole("row").filter({ hasText: name });
      await row.waitFor();
      expect(await row.textContent()).toContain("$12.50");

      // The write answered a catalog bookmark: kept, and sent back on every catalog request after it.
      const bookmark = () => page.evaluate(() => sessionStorage.getItem("edge-shop.catalogBookmark") ?? "");
      const created = await bookmark();
      expect(created).toMatch(/^[0-9a-f]+(-[0-9a-f]+)*$/i);
      const sent: string[] = [];
      page.on("request", (request) => {
        if (new URL(request.url()).pathname.startsWith("/api/products")) {
          sent.push(request.headers()["x-catalog-bookmark"] ?? "");
        }
      });

      // Edit the price.
      await page.getByRole("link", { name: `Edit ${name}` }).click();
      await page.getByLabel("Price").fill("14");
      await page.getByRole("button", { name: "Save changes" }).click();
      await row.filter({ hasText: "$14.00" }).waitFor();
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every((b) => b >= created)).toBe(true);
      expect((await bookmark()) > created).toBe(true);

      // Deactivate (two clicks: the second confirms); the catalog no longer offers it.
      await page.getByRole("button", { name: `Deactivate ${name}` }).click();
      await page.getByRole("button", { name: `Confirm: deactivate ${name}` }).click();
      await page.getByRole("button", { name: `Deactivate ${name}` }).waitFor({ state: "detached" });
      const search = await expectJson<{ products: { name: string; isActive: boolean }[] }>(
        await api(`/api/products?${new URLSearchParams({ search: name })}`),
        200,
      );
      expect(search.products.filter((p) => p.name === name && p.isActive)).toEqual([]);

      // Orders: paid → shipped → delivered.
      await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Orders" }).click();
      await page.getByRole("heading", { level: 1, name: "Admin: orders" }).waitFor();
      const short = orderId.slice(0, 8).toUpperCase();
      await page.getByRole("button", { name: `Mark order ${short} shipped` }).click();
      await page.getByRole("button", { name: `Mark order ${short} delivered` }).click();
      await page
        .getByRole("button", { name: `Mark order ${short} delivered` })
        .waitFor({ state: "detached" });
      const { order } = await expectJson<{ order: { status: string } }>(
        await api(`/api/orders/${orderId}`, { token: await adminToken() }),
        200,
      );
      expect(order.status).toBe("delivered");
      expect(problems.pageErrors).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("refunds a returned lamp with restock, then the whole order, and lists the refunds on the order's page", async () => {
    if (!browser) throw new Error("no browser");
    const orderId = await paidOrder(2);
    const { context, page, problems } = await openShop(browser);
    try {
      await logInAsAdmin(page);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).waitFor();
      await page.goto(`/#/orders/${orderId}`);
      await page.getByRole("heading", { level: 2, name: "Refunds", exact: true }).waitFor();
      await page.getByText("No refunds yet.").waitFor();
      await page.getByLabel(/^Return of Admin lamp/).fill("1");
      await page.getByLabel("Put the returned units back in stock").check();
      await page.getByLabel("Reason").fill("Arrived broken");
      await page.getByRole("button", { name: "Refund chosen lines" }).click();
      await page.locator("#order-refunds li").filter({ hasText: "$10.00 (Arrived broken)" }).waitFor();
      expect(await page.locator("#order-status").textContent()).toBe("paid");
      await page.getByLabel("Reason").fill("Goodwill");
      await page.getByRole("button", { name: "Refund the whole order" }).click();
      await page.locator("#order-refunds li").filter({ hasText: "(Goodwill)" }).waitFor();
      expect(await page.locator("#order-status").textContent()).toBe("refunded");
      await page.getByText("Refunded so far: $24.99 of $24.99.").waitFor();
      expect(await page.getByRole("button", { name: "Refund the whole order" }).count()).toBe(0);
      expect(problems.pageErrors).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("uploads, reorders and removes pictures; the catalog shows them lazily with srcset; reactivates a product", async () => {
    if (!browser) throw new Error("no browser");
    const name = `Framed print ${uniqueWord()}`;
    const product = await createProduct(name, 4200, 2, "Prints");
    const { context, page, problems } = await openShop(browser);
    const png = async () => ({
      name: "print.png",
      mimeType: "image/png",
      buffer: Buffer.from(await makePng(480, 360, randomRgb(), randomRgb())),
    });
    try {
      await logInAsAdmin(page);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).waitFor();
      await page.goto(`/#/admin/products/${product.id}`);
      await page.getByRole("heading", { name: "Pictures" }).waitFor();

      // An SVG is refused by the server, and the refusal is shown.
      await page.getByLabel("New picture").setInputFiles({
        name: "evil.svg",
        mimeType: "image/svg+xml",
        buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      });
      await page.getByRole("button", { name: "Upload picture" }).click();
      await page.getByRole("alert").filter({ hasText: "image" }).waitFor();

      for (const n of [1, 2]) {
        await page.getByLabel("New picture").setInputFiles(await png());
        await page.getByRole("button", { name: "Upload picture" }).click();
        await page.getByRole("button", { name: `Remove picture ${n}` }).waitFor();
      }
      const uploaded = async () =>
        (await expectJson<{ product: { images: string[] } }>(await api(`/api/products/${product.id}`), 200))
          .product.images;
      const [first, second] = await uploaded();
      await page.getByRole("button", { name: "Move picture 2 earlier" }).click();
      await expect.poll(uploaded).toEqual([second, first]);
      await page.getByRole("button", { name: "Remove picture 2" }).click();
      await page.getByRole("button", { name: "Remove picture 2" }).waitFor({ state: "detached" });
      await expect.poll(uploaded).toEqual([second]);

      // The catalog card: the picture's variants, lazily, with alt text and a fixed box; it really loads.
      await page.goto(`/#/?${new URLSearchParams({ search: name })}`);
      const picture = page.getByRole("listitem").filter({ hasText: name }).getByRole("img", { name });
      await picture.waitFor();
      const base = (second ?? "").replace(/\.png$/, "");
      expect(await picture.getAttribute("srcset")).toBe(`${base}-320.webp 320w, ${base}-960.webp 960w`);
      expect(await picture.getAttribute("loading")).toBe("lazy");
      expect(await picture.getAttribute("width")).toBe("320");
      expect(await picture.getAttribute("height")).toBe("240");
      await picture.scrollIntoViewIfNeeded();
      await expect
        .poll(() =>
          // The page's own DOM type, not in the Node typings: the element's loaded width.
          picture.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
        )
        .toBeGreaterThan(0);

      // A deactivated product stays listed for the admin, who can reactivate it.
      const token = await adminToken();
      expect((await api(`/api/products/${product.id}`, { method: "DELETE", token })).status).toBe(204);
      await page.goto(`/#/admin?${new URLSearchParams({ search: name })}`);
      await page.getByRole("button", { name: `Reactivate ${name}` }).click();
      await page.getByRole("button", { name: `Deactivate ${name}` }).waitFor();
      expect((await api(`/api/products/${product.id}`)).status).toBe(200);
      expect(problems.pageErrors).toEqual([]);
      expect(problems.cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
