// `pnpm screenshot`: photographs the storefront's catalog into docs/storefront.png for the README.
// Starts its own stack with a fresh, seeded state (or uses BASE_URL, e.g. a running `pnpm dev`), and drives
// Debian's Chromium through playwright-core like the browser tests do.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHROMIUM_PATH, hasChromium, launchChromium } from "./lib/chromium";
import { ensureDevVars } from "./lib/dev-vars";
import { migrateLocal, seedLocal } from "./lib/local-state";
import { freePort, type Stack, startStack } from "./lib/stack";
import { ROOT } from "./lib/workers";

if (!hasChromium) {
  console.error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y --no-install-recommends chromium`);
  process.exit(1);
}

const output = join(ROOT, "docs/storefront.png");
let stack: Stack | undefined;
let state: string | undefined;
try {
  let baseUrl = process.env.BASE_URL;
  if (!baseUrl) {
    state = await mkdtemp(join(tmpdir(), "edge-shop-screenshot-"));
    await ensureDevVars();
    await migrateLocal(state);
    await seedLocal(state);
    stack = await startStack({ port: await freePort(), persistTo: state, quiet: true, host: "127.0.0.1" });
    baseUrl = stack.url;
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ baseURL: baseUrl, viewport: { width: 1200, height: 860 } });
    await page.goto("/#/?sortBy=price&sortOrder=desc");
    await page
      .getByRole("list", { name: "Products" })
      .getByRole("listitem")
      .first()
      .waitFor({ timeout: 15_000 });
    await mkdir(join(ROOT, "docs"), { recursive: true });
    await page.screenshot({ path: output });
    console.log(`wrote ${output}`);
  } finally {
    await browser.close();
  }
} finally {
  await stack?.stop();
  if (state) await rm(state, { recursive: true, force: true });
}
