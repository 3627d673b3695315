import { Queues, type RegisterBody } from "@edge-shop/contracts";
import { AppError, errors, newEvent, type OutboxedEvent, outboxInsert } from "@edge-shop/worker-kit";
import type { Db } from "../db/client";
import {
  findUserByEmail,
  findUserById,
  incrementFailedLogins,
  insertUser,
  lockUntil,
  resetFailedLogins,
  setPasswordHash,
} from "../db/queries/users";
import type { UserRow } from "../db/schema";
import { isLocked, lockDurationMs } from "./lockout";
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from "./password";
import { newRefreshToken, revokeAllSessions } from "./sessions";

/** The one answer to every failed login: wrong password, unknown email and locked account alike. */
export function invalidCredentials(): AppError {
  return new AppError(401, "invalid_credentials", "Invalid credentials", { title: "Invalid credentials" });
}

function emailTaken(): AppError {
  return errors.conflict("email_taken", "An account with this email already exists");
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message.includes("UNIQUE constraint failed")) return true;
  }
  return false;
}

/**
 * Creates an account (role `user`, whatever the client sent), its first refresh token and the
 * `user.registered` outbox row in one D1 batch: all of it exists, or none of it.
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
    failedLogins: 0,
    lockedUntil: null,
    createdAt: now,
    updatedAt: now,
  };
  const event = newEvent(
    "user.registered",
    { userId: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName },
    { source: "users", correlationId: options.correlationId },
  );
  const refresh = await newRefreshToken(db, { userId: user.id, ttlMs: options.refreshTtlMs, now });
  const published: OutboxedEvent = { event, destinations: [Queues.notifications] };
  try {
    await db.batch([insertUser(db, user), refresh.insert, outboxInsert(db, event, published.destinations)]);
  } catch (error) {
    // Two registrations racing for one email: the unique index decides.
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  return { user, refreshToken: refresh.token, published };
}

/**
 * Checks a password for an account, with the per-account lock: the argon2id work is always done (so a
 * locked account answers as slowly as any other), a failure is counted, a success resets the count.
 */
async function checkPassword(
  db: Db,
  user: UserRow,
  password: string,
  options: { now: number; rehash: boolean },
): Promise<boolean> {
  const valid = await verifyPassword(password, user.passwordHash);
  if (isLocked(user.lockedUntil, options.now)) return false;
  if (!valid) {
    const failures = await incrementFailedLogins(db, user.email);
    const lockMs = lockDurationMs(failures);
    if (lockMs > 0) await lockUntil(db, user.id, options.now + lockMs);
    return false;
  }
  const rehashed =
    options.rehash && needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
  if (user.failedLogins > 0 || user.lockedUntil !== null || rehashed) {
    await resetFailedLogins(db, user.id, rehashed);
  }
  return true;
}

/** The account for these credentials, or the uniform 401. An unknown email costs one argon2id run too. */
export async function login(db: Db, email: string, password: string, now: number): Promise<UserRow> {
  const user = await findUserByEmail(db, email);
  if (!user) {
    // Same work as a wrong password: one argon2id run and one (here empty) failure-count update.
    await verifyPassword(password, DUMMY_HASH);
    await incrementFailedLogins(db, email);
    throw invalidCredentials();
  }
  if (!(await checkPassword(db, user, password, { now, rehash: true }))) throw invalidCredentials();
  return user;
}

/** Changes the password given the current one, and revokes every refresh token of the user. */
export async function changePassword(
  db: Db,
  userId: string,
  passwords: { current: string; next: string },
  now: number,
): Promise<void> {
  const user = await findUserById(db, userId);
  if (!user) throw errors.notFound("User");
  if (!(await checkPassword(db, user, passwords.current, { now, rehash: false }))) {
    throw new AppError(400, "invalid_current_password", "The current password is not correct", {
      errors: [{ path: "currentPassword", message: "Incorrect password" }],
    });
  }
  const hash = await hashPassword(passwords.next);
  await db.batch([setPasswordHash(db, userId, hash, now), revokeAllSessions(db, userId, now)]);
}
