// Debian's Chromium driven by playwright-core: no browser is ever downloaded. `.ci/run` installs the package.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Whether the browser tests can run on this machine. */
export const hasChromium = existsSync(CHROMIUM_PATH);

/** How to get it (Debian). */
export const INSTALL_CHROMIUM = "apt-get install -y --no-install-recommends chromium";

/**
 * Whether the browser tests are skipped: only where Chromium is missing outside CI. In CI (`CI=true`) they run
 * and fail without it, so a CI run can never pass without them.
 */
export const skipBrowserTests = !hasChromium && process.env.CI !== "true";

/** A headless Chromium fit for containers (no sandbox, no GPU, no background network). */
export function launchChromium(): Promise<Browser> {
  if (!hasChromium) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: the browser tests need it (${INSTALL_CHROMIUM})`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
