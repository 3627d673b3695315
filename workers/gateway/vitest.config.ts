import { webcrypto } from "node:crypto";
import { readFile } from "node:fs/promises";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, mergeConfig } from "vitest/config";
import { SERVICES } from "../../packages/contracts/src/services.ts";
import shared, { resolveFrom, stubWorker, TEST_SECRETS } from "../../vitest.shared.ts";

const here = resolveFrom(import.meta.url);

async function signingKeys() {
  const { privateKey, publicKey } = (await webcrypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const kid = "test-key-1";
  const privateJwk = { ...(await webcrypto.subtle.exportKey("jwk", privateKey)), kid, alg: "EdDSA" };
  const publicJwk = {
    ...(await webcrypto.subtle.exportKey("jwk", publicKey)),
    kid,
    alg: "EdDSA",
    use: "sig",
  };
  return { privateJwk: JSON.stringify(privateJwk), jwks: JSON.stringify({ keys: [publicJwk] }) };
}

export default defineConfig(async () => {
  const stub = await readFile(here("./test/fixtures/stub-service.js"), "utf8");
  const keys = await signingKeys();
  return mergeConfig(shared, {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: here("../../wrangler.toml") },
        miniflare: {
          bindings: {
            ...TEST_SECRETS,
            TEST_SIGNING_KEY: keys.privateJwk,
            SERVICE_TIMEOUT_MS: "1500",
            HEALTH_TIMEOUT_MS: "1000",
            RATE_LIMIT_AUTH: "10/60",
            RATE_LIMIT_DEFAULT: "1000/900",
            RATE_LIMIT_REFRESH: "30/60",
          },
          workers: SERVICES.map((name) =>
            stubWorker(name, { script: stub }, { SERVICE: name, JWKS: keys.jwks, HEALTHY: "true" }),
          ),
        },
      }),
    ],
    test: { name: "gateway" },
  });
});
