import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, mergeConfig } from "vitest/config";
import shared, {
  d1Migrations,
  quickDeadLetters,
  resolveFrom,
  stubWorker,
  TEST_SECRETS,
} from "../../vitest.shared.ts";

const here = resolveFrom(import.meta.url);

export default defineConfig(async () => {
  const migrations = await d1Migrations("payments");
  return mergeConfig(shared, {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: here("./wrangler.toml") },
        miniflare: {
          bindings: {
            ...TEST_SECRETS,
            ...migrations.bindings,
            PAYMENT_WEBHOOK_SECRET: "whsec_test_secret",
            // Never reached: the HTTP adapter's tests stub fetch, and anything else is refused below.
            PAYMENT_PROVIDER_URL: "https://provider.invalid",
          },
          queueConsumers: quickDeadLetters("payments-queue"),
          // No test may reach the network: any outbound request the tests did not stub fails loudly.
          outboundService: (request: Request) =>
            new Response(`unexpected outbound request to ${request.url}`, { status: 599 }),
          // A stand-in for the orders worker so the ORDERS service binding resolves (test/orders-stub.js).
          workers: [stubWorker("orders", { scriptPath: here("./test/orders-stub.js") })],
        },
      }),
    ],
    test: { name: "payments", setupFiles: migrations.setupFiles },
  });
});
