import { existsSync, readFileSync } from "node:fs";

/** The local webhook secret `pnpm dev` (and the e2e setup) generated; undefined when testing a remote stack. */
export function webhookSecret(): string | undefined {
  const path = new URL("../../workers/payments/.dev.vars", import.meta.url);
  if (process.env.E2E_BASE_URL || !existsSync(path)) return undefined;
  return /^PAYMENT_WEBHOOK_SECRET='?([^'\n]+)'?$/m.exec(readFileSync(path, "utf8"))?.[1];
}

/** A `Payment-Signature` header value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export async function signWebhook(body: string, secret: string, t = Math.floor(Date.now() / 1000)) {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`${t}.${body}`)));
  return `t=${t},v1=${Buffer.from(mac).toString("hex")}`;
}
