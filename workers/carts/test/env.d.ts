import type { D1Migration } from "cloudflare:test";

// The bindings the tests add to the generated ones (worker-configuration.d.ts): see vitest.config.ts.
declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
