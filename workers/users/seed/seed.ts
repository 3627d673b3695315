// Local admin for `pnpm dev` (scripts/seed.ts imports this under Node and runs the SQL with
// `wrangler d1 execute --local`). Local only: production admins come from `pnpm admin:create`.
// Idempotent: ON CONFLICT(email) DO NOTHING, so a second run changes nothing.
import { hashPassword } from "../src/domain/password.ts";
import { adminSql } from "./admin-sql.ts";

export const SEED_ADMIN = { email: "admin@example.com", password: "admin-password-1" } as const;

/** Seed SQL: the local admin with a real argon2id hash of its password. */
export async function seedSql(): Promise<string> {
  return adminSql(
    {
      id: "user-admin-seed",
      email: SEED_ADMIN.email,
      passwordHash: await hashPassword(SEED_ADMIN.password),
      firstName: "Admin",
      lastName: "User",
      now: Date.UTC(2025, 0, 1),
    },
    "ifMissing",
  );
}
