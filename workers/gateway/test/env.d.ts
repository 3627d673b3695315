import type { GatewayBindings } from "../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends GatewayBindings {
      /** Private JWK whose public half the stub users service publishes. */
      TEST_SIGNING_KEY: string;
    }
    interface GlobalProps {
      mainModule: typeof import("../src/index");
      durableNamespaces: "RateLimiter";
    }
  }
}
