import type { UsersApi } from "@edge-shop/contracts";

// `Env` is generated from wrangler.toml (worker-configuration.d.ts, `pnpm cf-typegen`), which can only call a
// service binding `Service`: this adds the RPC methods its contract (packages/contracts) promises, and a secret
// that only one configuration needs (wrangler types knows only the required ones).
declare global {
  interface Env {
    USERS: Service & UsersApi;
    /** Secret: the SMS API's basic-auth password (Twilio's auth token), needed only with SMS_PROVIDER = "http". */
    SMS_AUTH_TOKEN?: string;
  }
  namespace Cloudflare {
    interface Env {
      USERS: Service & UsersApi;
      /** Secret: the SMS API's basic-auth password (Twilio's auth token), needed only with SMS_PROVIDER = "http". */
      SMS_AUTH_TOKEN?: string;
    }
  }
}
