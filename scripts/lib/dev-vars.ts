import { randomBytes, webcrypto } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { ROOT } from "./workers";

async function signingKey(): Promise<string> {
  const pair = (await webcrypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const jwk = await webcrypto.subtle.exportKey("jwk", pair.privateKey);
  const kid = `dev-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString("hex")}`;
  return JSON.stringify([{ ...jwk, kid, alg: "EdDSA" }]);
}

// Secrets (and local-only overrides) each service needs locally, generated once; production values are set with `wrangler secret put`.
const SECRETS: Record<string, Record<string, () => Promise<string> | string>> = {
  users: { JWT_PRIVATE_KEYS: signingKey },
  payments: { PAYMENT_WEBHOOK_SECRET: () => `whsec_${randomBytes(24).toString("hex")}` },
  // Not a secret: quick retries locally (production backs off from 30 s, see its wrangler.toml).
  notifications: { NOTIFY_RETRY_BASE_SECONDS: () => "1" },
};

/** Creates or completes `workers/<service>/.dev.vars` (git-ignored) so nothing secret is ever committed. */
export async function ensureDevVars(): Promise<string[]> {
  const written: string[] = [];
  for (const [service, secrets] of Object.entries(SECRETS)) {
    const path = `${ROOT}workers/${service}/.dev.vars`;
    const current = existsSync(path) ? await readFile(path, "utf8") : "";
    const missing = Object.keys(secrets).filter((name) => !new RegExp(`^${name}=`, "m").test(current));
    if (missing.length === 0) continue;
    const lines: string[] = [];
    for (const name of missing) {
      const make = secrets[name];
      if (make) lines.push(`${name}='${await make()}'`);
    }
    const prefix = current && !current.endsWith("\n") ? "\n" : "";
    await writeFile(path, `${current}${prefix}${lines.join("\n")}\n`, { mode: 0o600 });
    written.push(`workers/${service}/.dev.vars (${missing.join(", ")})`);
  }
  return written;
}
