import { randomBytes, webcrypto } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { ROOT, SERVICES } from "./workers";

async function signingKey(): Promise<string> {
  const pair = (await webcrypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const jwk = await webcrypto.subtle.exportKey("jwk", pair.privateKey);
  const kid = `dev-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString("hex")}`;
  return JSON.stringify([{ ...jwk, kid, alg: "EdDSA" }]);
}

// Secrets (and local-only overrides) each worker needs locally, generated once; production values are set with
// `wrangler secret put`.
const SECRETS: Record<string, Record<string, () => Promise<string> | string>> = {
  users: { JWT_PRIVATE_KEYS: signingKey },
  payments: { PAYMENT_WEBHOOK_SECRET: () => `whsec_${randomBytes(24).toString("hex")}` },
  // Not a secret: quick retries locally (production backs off from 30 s, see its wrangler.toml).
  notifications: { NOTIFY_RETRY_BASE_SECONDS: () => "1" },
};

/** The gateway signs the identity it forwards and every service verifies it: one value in every .dev.vars. */
const SHARED_SECRET = "IDENTITY_SECRET";

/** Where each worker's local secrets live: beside its wrangler config (the gateway's is the root one). */
const devVarsOf = (worker: string) =>
  worker === "gateway" ? `${ROOT}.dev.vars` : `${ROOT}workers/${worker}/.dev.vars`;

const valueIn = (text: string, name: string) => new RegExp(`^${name}='?([^'\n]*)'?$`, "m").exec(text)?.[1];

/**
 * Creates or completes every worker's `.dev.vars` (git-ignored) so nothing secret is ever committed; the shared
 * identity secret is made equal everywhere (the gateway's value wins).
 */
export async function ensureDevVars(): Promise<string[]> {
  const workers = ["gateway", ...SERVICES];
  const current = new Map<string, string>();
  for (const worker of workers) {
    const path = devVarsOf(worker);
    current.set(worker, existsSync(path) ? await readFile(path, "utf8") : "");
  }
  const shared =
    workers.map((w) => valueIn(current.get(w) ?? "", SHARED_SECRET)).find((v) => v) ??
    randomBytes(32).toString("base64url");
  const written: string[] = [];
  for (const worker of workers) {
    let text = current.get(worker) ?? "";
    const changed: string[] = [];
    if (valueIn(text, SHARED_SECRET) !== shared) {
      text = text.replace(new RegExp(`^${SHARED_SECRET}=.*\n?`, "m"), "");
      changed.push(SHARED_SECRET);
      text = `${text}${text && !text.endsWith("\n") ? "\n" : ""}${SHARED_SECRET}='${shared}'\n`;
    }
    for (const [name, make] of Object.entries(SECRETS[worker] ?? {})) {
      if (valueIn(text, name) !== undefined) continue;
      changed.push(name);
      text = `${text}${text && !text.endsWith("\n") ? "\n" : ""}${name}='${await make()}'\n`;
    }
    if (changed.length === 0) continue;
    const path = devVarsOf(worker);
    await writeFile(path, text, { mode: 0o600 });
    written.push(`${path.slice(ROOT.length)} (${changed.join(", ")})`);
  }
  return written;
}
