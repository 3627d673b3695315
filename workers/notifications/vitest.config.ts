import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, mergeConfig } from "vitest/config";
import shared, { d1Migrations, resolveFrom, stubWorker, TEST_SECRETS } from "../../vitest.shared.ts";

const here = resolveFrom(import.meta.url);

// A stand-in for the users worker's UsersRpc.contacts: the user ids pick the case under test ("gone-" users
// are unknown, a "boom-" user makes the whole call fail as an unreachable users service would).
const usersStub = `import { WorkerEntrypoint } from "cloudflare:workers";
export class UsersRpc extends WorkerEntrypoint {
  async contacts(userIds) {
    if (userIds.some((id) => id.startsWith("boom-"))) throw new Error("users service unavailable");
    return userIds.filter((id) => !id.startsWith("gone-")).map((userId) => ({
      userId,
      email: userId + "@example.test",
      firstName: userId.startsWith("xss-") ? "<script>alert(1)</script>" : "Ada",
      lastName: "Lovelace",
    }));
  }
}
export default { fetch: () => new Response("stub") };`;

export default defineConfig(async () => {
  const migrations = await d1Migrations("notifications");
  return mergeConfig(shared, {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: here("./wrangler.toml") },
        miniflare: {
          bindings: {
            ...TEST_SECRETS,
            ...migrations.bindings,
            // Tests read the delay from the queue result; they never wait for it.
            NOTIFY_RETRY_BASE_SECONDS: "2",
          },
          workers: [stubWorker("users", { script: usersStub })],
        },
      }),
    ],
    // The deletion tests erase by patterns over the whole log: each file gets fresh storage.
    test: {
      name: "notifications",
      isolate: true,
      setupFiles: [...migrations.setupFiles, here("./test/no-network.ts")],
    },
  });
});
