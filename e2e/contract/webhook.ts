import { existsSync, readFileSync } from "node:fs";

export { signWebhook } from "../../packages/worker-kit/testing/webhook-signature";

/** The local webhook secret `pnpm dev` (and the e2e setup) generated; undefined when testing a remote stack. */
export function webhookSecret(): string | undefined {
  const path = new URL("../../workers/payments/.dev.vars", import.meta.url);
  if (process.env.E2E_BASE_URL || !existsSync(path)) return undefined;
  return /^PAYMENT_WEBHOOK_SECRET='?([^'\n]+)'?$/m.exec(readFileSync(path, "utf8"))?.[1];
}
