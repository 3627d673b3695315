import type { CartsApi, ProductsApi } from "@edge-shop/contracts";

// `Env` is generated from wrangler.toml (worker-configuration.d.ts, `pnpm cf-typegen`), which can only call a
// service binding `Service`: this adds the RPC methods its contract (packages/contracts) promises.
declare global {
  interface Env {
    PRODUCTS: Service & ProductsApi;
    CARTS: Service & CartsApi;
  }
  namespace Cloudflare {
    interface Env {
      PRODUCTS: Service & ProductsApi;
      CARTS: Service & CartsApi;
    }
  }
}
