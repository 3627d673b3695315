import { webcrypto } from "node:crypto";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, mergeConfig } from "vitest/config";
import shared, { d1Migrations, resolveFrom, TEST_SECRETS } from "../../vitest.shared.ts";

const here = resolveFrom(import.meta.url);

async function privateJwk(kid: string) {
  const { privateKey } = (await webcrypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  return { ...(await webcrypto.subtle.exportKey("jwk", privateKey)), kid, alg: "EdDSA" };
}

export default defineConfig(async () => {
  // Two live keys, as during a rotation: the first signs, both are published. Generated per run, never committed.
  const keys = [await privateJwk("test-key-new"), await privateJwk("test-key-old")];
  const migrations = await d1Migrations("users");
  return mergeConfig(shared, {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: here("./wrangler.toml") },
        miniflare: {
          bindings: {
            ...TEST_SECRETS,
            ...migrations.bindings,
            JWT_PRIVATE_KEYS: JSON.stringify(keys),
          },
        },
      }),
    ],
    test: { name: "users", setupFiles: migrations.setupFiles },
  });
});
