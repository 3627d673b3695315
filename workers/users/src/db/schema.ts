import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export { inbox, outbox } from "@edge-shop/worker-kit";

/** Accounts. `email` is stored normalised (trimmed, lower-cased), so the unique index is case-insensitive. */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  /** PHC string: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. Never leaves this service. */
  passwordHash: text("password_hash").notNull(),
  firstName: text("first_name").notNull(),
  lastName: text("last_name").notNull(),
  role: text("role", { enum: ["user", "admin"] })
    .notNull()
    .default("user"),
  /** The address was confirmed by a link sent to it. */
  emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
  /** Set by an admin: no login, no refresh, no account email. */
  disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
  /** Consecutive failed logins since the last success (drives the temporary lock). */
  failedLogins: integer("failed_logins").notNull().default(0),
  /** Epoch ms until which logins are refused; null when not locked. */
  lockedUntil: integer("locked_until"),
  /** Password checks claimed and not yet settled (see domain/lockout.ts); void once `claimsExpireAt` passes. */
  loginClaims: integer("login_claims").notNull().default(0),
  claimsExpireAt: integer("claims_expire_at"),
  /** The id of the last claim granted, so the claiming request can tell from RETURNING that it was granted. */
  lastClaim: text("last_claim"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Refresh tokens, stored as SHA-256 hashes. Every rotation inserts a new row in the same family and marks
 * the old one used; presenting a used or revoked token revokes the whole family.
 */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    familyId: text("family_id").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [
    index("refresh_tokens_family").on(t.familyId),
    index("refresh_tokens_user").on(t.userId),
    index("refresh_tokens_expires").on(t.expiresAt),
  ],
);

export const TokenPurposes = ["verify_email", "reset_password", "change_email"] as const;
export type TokenPurpose = (typeof TokenPurposes)[number];

/**
 * One-time tokens of account emails, stored as SHA-256 hashes (the token is 256 random bits, so a fast hash is
 * enough). A token is typed, expires, and is used once: the guarded update that consumes it sets `usedAt`.
 */
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: TokenPurposes }).notNull(),
    /** The address the link was sent to: the one it verifies, or the new login email of a change. */
    email: text("email").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [
    index("account_tokens_user").on(t.userId, t.purpose),
    index("account_tokens_expires").on(t.expiresAt),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type AccountTokenRow = typeof accountTokens.$inferSelect;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;
