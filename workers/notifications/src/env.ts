import type { UsersApi } from "@edge-shop/contracts";

export interface Bindings {
  DB: D1Database;
  USERS: UsersApi;
  EMAIL_PROVIDER: string;
  SMS_PROVIDER: string;
}
