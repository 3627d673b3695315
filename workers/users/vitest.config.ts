import { webcrypto } from "node:crypto";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The root run uses the repository root as cwd: resolve every path from this file.
const here = (path: string) => new URL(path, import.meta.url).pathname;

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
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: here("./wrangler.toml") },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: await readD1Migrations(here("../../migrations/users")),
            JWT_PRIVATE_KEYS: JSON.stringify(keys),
          },
        },
      }),
    ],
    test: {
      name: "users",
      setupFiles: [here("./test/apply-migrations.ts")],
      // Every login or registration runs argon2id (~0.2 s of CPU, more when other suites share the cores).
      testTimeout: 60_000,
    },
  };
});
