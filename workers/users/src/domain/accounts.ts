import type { RegisterBody } from "@edge-shop/contracts";
import { AppError, errors, type OutboxedEvent } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import { findUserByEmail, insertUser, setPasswordHash } from "../db/queries/users";
import { accountTokens, type UserRow } from "../db/schema";
import { hashToken } from "../tokens/opaque";
import { verificationToken } from "./account-links";
import { outboxed } from "./events";
import { hashPassword } from "./password";
import { checkPassword } from "./password-check";
import { newRefreshToken, revokeAllSessions } from "./sessions";

/** The one answer to every failed login: wrong password, unknown email and locked account alike. */
export function invalidCredentials(): AppError {
  return new AppError(401, "invalid_credentials", "Invalid credentials", { title: "Invalid credentials" });
}

export function emailTaken(): AppError {
  return errors.conflict("email_taken", "An account with this email already exists");
}

/** A signed-in caller's `currentPassword` that is wrong (or cannot be checked now: the account is locked). */
export function wrongCurrentPassword(): AppError {
  return new AppError(400, "invalid_current_password", "The current password is not correct", {
    errors: [{ path: "currentPassword", message: "Incorrect password" }],
  });
}

/** Whether a D1 error (possibly wrapped by drizzle) is a unique-key violation. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message.includes("UNIQUE constraint failed")) return true;
  }
  return false;
}

/**
 * Creates an account (role `user`, whatever the client sent, its address not yet verified), its first refresh
 * token, the address's verification token and the `user.registered` outbox row (the welcome message carries the
 * verification link) in one D1 batch: all of it exists, or none of it.
 */
export async function register(
  db: Db,
  input: RegisterBody,
  options: { refreshTtlMs: number; now: number; correlationId: string },
): Promise<{ user: UserRow; refreshToken: string; published: OutboxedEvent }> {
  if (await findUserByEmail(db, input.email)) throw emailTaken();
  const now = options.now;
  const user: UserRow = {
    id: crypto.randomUUID(),
    email: input.email,
    passwordHash: await hashPassword(input.password),
    firstName: input.firstName,
    lastName: input.lastName,
    role: "user",
    emailVerified: false,
    disabled: false,
    failedLogins: 0,
    lockedUntil: null,
    loginClaims: 0,
    claimsExpireAt: null,
    lastClaim: null,
    createdAt: now,
    updatedAt: now,
  };
  const verification = verificationToken(now);
  const { published, insert } = outboxed(
    db,
    "user.registered",
    {
      userId: user.id,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      verification: { token: verification.token, expiresAt: new Date(verification.expiresAt).toISOString() },
    },
    options.correlationId,
  );
  const refresh = await newRefreshToken(db, { userId: user.id, ttlMs: options.refreshTtlMs, now });
  const verifyRow = db.insert(accountTokens).values({
    id: crypto.randomUUID(),
    tokenHash: await hashToken(verification.token),
    userId: user.id,
    purpose: "verify_email",
    email: user.email,
    createdAt: now,
    expiresAt: verification.expiresAt,
  });
  try {
    await db.batch([insertUser(db, user), refresh.insert, verifyRow, insert]);
  } catch (error) {
    // Two registrations racing for one email: the unique index decides.
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  return { user, refreshToken: refresh.token, published };
}

/** The account for these credentials, or the uniform 401 (unknown, disabled and locked accounts alike). */
export async function login(db: Db, email: string, password: string, now: number): Promise<UserRow> {
  const user = await checkPassword(db, { email }, password, { now, rehash: true });
  if (!user) throw invalidCredentials();
  return user;
}

/** Changes the password given the current one, and revokes every refresh token of the user. */
export async function changePassword(
  db: Db,
  userId: string,
  passwords: { current: string; next: string },
  now: number,
): Promise<void> {
  if (!(await checkPassword(db, { id: userId }, passwords.current, { now, rehash: false }))) {
    throw wrongCurrentPassword();
  }
  const hash = await hashPassword(passwords.next);
  await db.batch([setPasswordHash(db, userId, hash, now), revokeAllSessions(db, userId, now)]);
}
