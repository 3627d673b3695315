export interface Bindings {
  DB: D1Database;
  NOTIFICATION_EVENTS: Queue;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  ACCESS_TOKEN_TTL_SECONDS: string;
  REFRESH_TOKEN_TTL_SECONDS: string;
}
