// The bindings the tests add to the generated ones (worker-configuration.d.ts): see vitest.config.ts.
declare global {
  namespace Cloudflare {
    interface Env {
      /** Private JWK whose public half the stub users service publishes. */
      TEST_SIGNING_KEY: string;
    }
  }
}

export {};
