import type { UsersApi } from "@edge-shop/contracts";

export interface Bindings {
  DB: D1Database;
  USERS: UsersApi;
  /** Cloudflare's send_email binding, used when EMAIL_PROVIDER = "cloudflare". */
  EMAIL?: SendEmail;
  /** "log" (local default: record only), "cloudflare" (send_email binding) or "http" (JSON email API). */
  EMAIL_PROVIDER: string;
  EMAIL_FROM: string;
  EMAIL_API_URL: string;
  /** Secret: bearer token of the HTTP email API. */
  EMAIL_API_KEY?: string;
  /** "log" (local default) or "http" (Twilio-style form POST). */
  SMS_PROVIDER: string;
  SMS_FROM: string;
  SMS_API_URL: string;
  SMS_ACCOUNT_SID: string;
  /** Secret: password of the SMS API's basic auth (Twilio's auth token). */
  SMS_AUTH_TOKEN?: string;
  /** "true": the log provider's line carries the message's text (local development); otherwise only its length. */
  LOG_PROVIDER_TEXT?: string;
  /** Deliveries of one message in all: max_retries of the queue consumer in wrangler.toml, plus one. */
  NOTIFY_MAX_ATTEMPTS: string;
  /** First retry delay; doubles per attempt, capped at 5 minutes. */
  NOTIFY_RETRY_BASE_SECONDS: string;
  /** Producer to notification-events, used only to replay a dead letter (POST /api/admin/dead-letters/:id/replay). */
  REPLAY_QUEUE: Queue;
  /** Workers Analytics Engine dataset `edge_shop_notifications` (absent in tests that do not bind one). */
  METRICS?: AnalyticsEngineDataset;
  /** The git sha this worker was built from (`--var VERSION:<sha>`), shown by GET /api/admin/status. */
  VERSION?: string;
}
