export interface Bindings {
  DB: D1Database;
  NOTIFICATION_EVENTS: Queue;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  ACCESS_TOKEN_TTL_SECONDS: string;
  REFRESH_TOKEN_TTL_SECONDS: string;
  /** Workers Analytics Engine dataset `edge_shop_users` (absent in tests that do not bind one). */
  METRICS?: AnalyticsEngineDataset;
  /** The git sha this worker was built from (`--var VERSION:<sha>`), shown by GET /api/admin/status. */
  VERSION?: string;
  /** Secret: JSON array of private Ed25519 JWKs with `kid`; the first signs, all are published. */
  JWT_PRIVATE_KEYS: string;
}
